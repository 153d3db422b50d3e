#!/usr/bin/env node
// Rollup rows a host adds to the fleet per day, by simulation (README "A fleet on ClickHouse", docs/clickhouse.md
// "Sizing"): one hour of a host logging E events a day over K operations (log-normal durations, sigma 0.5, medians
// spread from 10 to 500 ms), shipped in batches every B ms; each batch adds one minute_stats row per (minute,
// operation), one hour_stats row per (hour, operation) and one hour_hist row per (operation, latency bucket) it touches.
//
//   node bench/fleet-sizing.mjs [E K B ...]   default: the README's cases
import { bucketOf } from '../dist/aggregate/sketch.js';
import { gaussian, mulberry32 } from '../fixtures/generate-log.mjs';

const HOUR = 3_600_000;

function simulate(eventsPerDay, ops, batchMs) {
  const rand = mulberry32(7);
  const medians = Array.from({ length: ops }, (_, i) => 10 * Math.pow(50, i / Math.max(1, ops - 1)));
  const perMs = eventsPerDay / 86_400_000;
  let minuteRows = 0;
  let hourRows = 0;
  let histRows = 0;
  let minutes = new Set();
  let hours = new Set();
  let hist = new Set();
  const flush = () => {
    minuteRows += minutes.size;
    hourRows += hours.size;
    histRows += hist.size;
    minutes = new Set();
    hours = new Set();
    hist = new Set();
  };
  let batchEnd = batchMs;
  const gap = () => -Math.log(Math.max(rand(), 1e-12)) / perMs;
  for (let ts = gap(); ts < HOUR; ts += gap()) {
    while (ts >= batchEnd) {
      flush();
      batchEnd += batchMs;
    }
    const op = Math.floor(rand() * ops);
    minutes.add(`${op}:${Math.floor(ts / 60_000)}`);
    hours.add(op);
    hist.add(`${op}:${bucketOf(medians[op] * Math.exp(0.5 * gaussian(rand)))}`);
  }
  flush();
  return {
    eventsPerDay, ops, batchSeconds: batchMs / 1000,
    minuteStatsRowsPerDay: minuteRows * 24, hourStatsRowsPerDay: hourRows * 24, hourHistRowsPerDay: histRows * 24,
    rollupRowsPerEvent: +(((minuteRows + hourRows + histRows) * 24) / eventsPerDay).toFixed(2),
  };
}

const args = process.argv.slice(2).map(Number);
const cases = args.length >= 3
  ? Array.from({ length: Math.floor(args.length / 3) }, (_, i) => args.slice(3 * i, 3 * i + 3))
  : [[10e6, 20, 5_000], [10e6, 20, HOUR], [1e6, 20, 5_000], [1e6, 20, HOUR], [100e6, 20, 5_000]];
for (const [e, k, b] of cases) console.log(JSON.stringify(simulate(e, k, b)));
