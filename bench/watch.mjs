// Scenario: `oplens watch` following a file a logger appends to. Two phases on one watch process:
//  1. steady: 20,000 lines/s (200 lines every 10 ms) for 10 s, then 100,000 lines/s for 5 s; each append is timed
//     until a reader sees it committed (polling the store every 5 ms): append-to-commit latency p50/p99/max, and
//     whether it kept up (everything committed within 1 s of the writer's last append);
//  2. burst: 300,000 lines appended as fast as the writer can; sustained throughput = lines / time until all
//     are committed, against the floor of a bare JSON.parse loop over the same file.
// Lines come from the fixed-seed generator. Run alone: node bench/watch.mjs (after npm run build).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { generateLines } from '../fixtures/generate-log.mjs';
import { bareParse } from './bare-parse.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const BIN = path.join(here, '../dist/cli/main.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function benchWatch({ out, rates = [{ rate: 20_000, seconds: 10 }, { rate: 100_000, seconds: 5 }], burstLines = 300_000 }) {
  const dir = fs.mkdtempSync(path.join(out ?? os.tmpdir(), 'watch-'));
  const logs = path.join(dir, 'logs');
  fs.mkdirSync(logs);
  const file = path.join(logs, 'app.jsonl');
  const dbPath = path.join(dir, 'db');
  const total = rates.reduce((n, r) => n + r.rate * r.seconds, 0) + burstLines + 10;
  const lines = generateLines({ seed: 42, count: total, gapMs: 50 });
  const take = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += lines.next().value;
    return s;
  };
  fs.writeFileSync(file, take(10));
  let written = 10;

  const watch = spawn(process.execPath, [BIN, '--db', dbPath, 'watch', logs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  watch.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((r) => watch.on('exit', (code) => r(code)));
  try {
    while (!/caught up/.test(stderr)) {
      if (watch.exitCode !== null) throw new Error(`watch exited: ${stderr}`);
      await sleep(10);
    }
    const db = new Database(dbPath, { readonly: true });
    const committedStmt = db.prepare('SELECT coalesce(sum(count), 0) FROM minute_stats').pluck();
    const committed = () => committedStmt.get();

    // Phase 1: steady rates, every append timed until committed.
    const steady = [];
    for (const { rate, seconds: steadySeconds } of rates) {
      const perTick = Math.round(rate / 100);
      const ticks = Array.from({ length: steadySeconds * 100 }, () => take(perTick)); // written, not generated, on time
      const pending = []; // { count, at } of appends not yet seen committed
      const latencies = [];
      const poller = setInterval(() => {
        const n = committed();
        const now = performance.now();
        while (pending.length && pending[0].count <= n) latencies.push(now - pending.shift().at);
      }, 5);
      const t0 = performance.now();
      let late = 0;
      for (let k = 0; k < ticks.length; k++) {
        const due = t0 + k * 10;
        if (due > performance.now()) await sleep(due - performance.now());
        else late++;
        fs.appendFileSync(file, ticks[k]);
        written += perTick;
        pending.push({ count: written, at: performance.now() });
      }
      const steadyEnd = performance.now();
      const behindAtEnd = written - committed();
      while (pending.length && performance.now() - steadyEnd < 30_000) await sleep(5);
      clearInterval(poller);
      const drainMs = performance.now() - steadyEnd;
      latencies.sort((a, b) => a - b);
      const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
      steady.push({
        linesPerSec: rate, achievedLinesPerSec: Math.round((perTick * ticks.length) / ((steadyEnd - t0) / 1000)),
        seconds: steadySeconds, appends: latencies.length, writerLateTicks: late,
        latencyMs: { p50: Math.round(q(0.5)), p99: Math.round(q(0.99)), max: Math.round(latencies[latencies.length - 1]) },
        linesBehindAtEnd: behindAtEnd, drainMs: Math.round(drainMs),
        keptUp: drainMs < 1000,
      });
    }

    // Phase 2: burst, as fast as the writer goes, in ~1 MB writes.
    const b0 = performance.now();
    const target = written + burstLines;
    let burstBytes = 0;
    for (let left = burstLines; left > 0; left -= 7000) {
      const chunk = take(Math.min(7000, left));
      burstBytes += Buffer.byteLength(chunk);
      fs.appendFileSync(file, chunk);
    }
    written = target;
    const writeMs = performance.now() - b0;
    let maxLag = 0;
    while (committed() < target && performance.now() - b0 < 60_000) {
      maxLag = Math.max(maxLag, target - committed());
      await sleep(5);
    }
    const burstMs = performance.now() - b0;
    const final = committed();
    db.close();

    const rss = fs.readFileSync(`/proc/${watch.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/);
    watch.kill('SIGTERM');
    const code = await exited;
    const floor = await bareParse([file]);
    const burstRate = burstLines / (burstMs / 1000);
    const floorRate = floor.lines / (floor.ms / 1000);
    return {
      steady,
      burst: {
        lines: burstLines, mb: +(burstBytes / 1e6).toFixed(1), writerSeconds: +(writeMs / 1000).toFixed(2),
        secondsToCommitAll: +(burstMs / 1000).toFixed(2), linesPerSec: Math.round(burstRate), mbPerSec: +(burstBytes / 1e6 / (burstMs / 1000)).toFixed(1),
      },
      bareJsonParse: { linesPerSec: Math.round(floorRate) },
      ratioToBare: +(burstRate / floorRate).toFixed(2),
      watchPeakRssMb: rss ? Math.round(Number(rss[1]) / 1024) : null,
      allCommitted: final === written, exitCode: code,
      saidFallingBehind: /falling behind/.test(stderr),
    };
  } finally {
    if (watch.exitCode === null) watch.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchWatch({});
  for (const s of r.steady) {
    console.log(`watch, steady ${s.linesPerSec.toLocaleString('en-US')} lines/s for ${s.seconds} s: append-to-commit latency p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms, max ${s.latencyMs.max} ms; ${s.linesBehindAtEnd} lines behind at the end, drained in ${s.drainMs} ms`);
  }
  const b = r.burst;
  console.log(`watch, burst of ${b.lines.toLocaleString('en-US')} lines (${b.mb} MB, written in ${b.writerSeconds} s): all committed in ${b.secondsToCommitAll} s = ${b.linesPerSec.toLocaleString('en-US')} lines/s, ${b.mbPerSec} MB/s`);
  console.log(`floor, bare JSON.parse loop over the same file: ${r.bareJsonParse.linesPerSec.toLocaleString('en-US')} lines/s (watch burst = ${r.ratioToBare}x)`);
  console.log(`watch peak RSS ${r.watchPeakRssMb} MB; all committed: ${r.allCommitted}; exit code ${r.exitCode}; said falling behind: ${r.saidFallingBehind}`);
}
