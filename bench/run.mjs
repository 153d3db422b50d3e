#!/usr/bin/env node
// npm run bench [-- --quick]: every scenario in turn; results go to stdout (a summary of ratios at the end) and to
// bench/out/results.json. Inputs are generated from a fixed seed into bench/out/ (git-ignored) and reused.
// Figures are ratios to a floor or peer measured in the same run (alternately, median of several runs), so they
// hold up on a loaded machine better than absolute times do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchAnswers } from './answers.mjs';
import { benchCliStart } from './cli-start.mjs';
import { benchIngest } from './ingest.mjs';
import { benchRefresh } from './refresh.mjs';
import { benchReingestFiles } from './reingest-files.mjs';
import { benchWatch } from './watch.mjs';

const quick = process.argv.includes('--quick');
const out = path.join(path.dirname(new URL(import.meta.url).pathname), 'out');
fs.mkdirSync(out, { recursive: true });
const results = {
  date: new Date().toISOString(), quick, node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model,
  loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)), scenarios: [],
};
const summary = [];

function show(r, line) {
  console.log(`\n## ${r.label}`);
  console.log(JSON.stringify(r, null, 2));
  results.scenarios.push(r);
  summary.push(line);
  // Written after every scenario: a long run that fails late keeps what it measured.
  fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify({ ...results, summary }, null, 2));
}

/** Runs one scenario; a failure is reported and recorded, and the other scenarios still run. */
async function scenario(label, fn) {
  try {
    await fn();
  } catch (e) {
    console.error(`\n## ${label}: FAILED\n${e?.stack ?? e}`);
    results.scenarios.push({ label, failed: String(e?.message ?? e) });
    summary.push(`${label}: FAILED (${String(e?.message ?? e).split('\n')[0]})`);
  }
}

const M = 1_000_000;
const small = quick ? 1 * M : 2 * M;
const big = quick ? [] : [10 * M];

// The scenarios the goals are judged on come first (the largest store and its answers), so a run cut short on a
// loaded machine still has them; each is measured against its floor or peer in the same run.
const ingestScenario = (kind, lines, runs) => scenario(`ingest, ${kind} input, ${lines} lines`, async () => {
  const r = await benchIngest({ out, kind, lines, runs, streamJson: kind === 'uniform' && lines === M });
  ingests[`${kind}-${lines}`] = r;
  show(r, `${r.label}: ${r.ingest.linesPerSec.toLocaleString('en-US')} lines/s vs bare JSON.parse ${r.bareJsonParse.linesPerSec.toLocaleString('en-US')} lines/s = ${r.ratioToBare}x (goal >= 1.0); peak RSS ${r.ingest.peakRssMb} MB (goal <= 200)`);
});
// Answers from the store against DuckDB rescanning the raw files.
const answersScenario = (n) => scenario(`answers over ${n} events`, async () => {
  for (const r of await benchAnswers({ db: ingests[`uniform-${n}`].db, files: [path.join(out, `uniform-${n}.jsonl`)], events: n, runs: 3 })) {
    show(r, `${r.label}: ${r.oplens.seconds} s vs DuckDB ${r.duckdbRescan.seconds} s = ${r.ratioToDuckdb}x (goal <= 0.1)`);
  }
});

const ingests = {};
const largest = big.at(-1) ?? small;
await ingestScenario('uniform', largest, largest === M ? 3 : 1);
await answersScenario(largest);
// Refresh of the largest store after a 10k-line append.
await scenario('refresh', async () => {
  const r = await benchRefresh({ db: ingests[`uniform-${largest}`].db, file: path.join(out, `uniform-${largest}.jsonl`), events: largest, runs: 3 });
  show(r, `${r.label}: ${r.oplens.seconds} s (ingest ${r.oplens.ingestSeconds} s) vs DuckDB ${r.duckdbRescan.seconds} s = ${r.ratioToDuckdb}x (goal <= 0.1)`);
});

// CLI start.
await scenario('CLI start', async () => {
  const r = benchCliStart({ db: ingests[`uniform-${largest}`].db, runs: 9 });
  show(r, `CLI start: node -e 0 ${r.nodeSeconds} s; ${r.commands.map((c) => `${c.command} +${c.overNodeSeconds} s`).join(', ')} (goal <= +0.1 s)`);
});

// Fleet: shipping into ClickHouse and analyze there against the local store.
await scenario('fleet', async () => {
  const r = await (await import('./fleet.mjs')).benchFleet({ db: ingests[`uniform-${largest}`].db, events: largest, now: '2026-11-16T00:00:00Z' });
  show(r, `${r.label}: ship ${r.ship.eventsPerSec.toLocaleString('en-US')} events/s (goal >= 200,000); analyze ${r.analyze.clickhouseSeconds} s vs SQLite ${r.analyze.sqliteSeconds} s = ${r.analyze.ratio}x (goal <= 2)`);
});

// Watch.
await scenario('watch', async () => {
  const r = { label: 'watch: sustained appends', ...(await benchWatch({ out, ...(quick ? { rates: [{ rate: 20_000, seconds: 5 }, { rate: 100_000, seconds: 3 }] } : {}) })) };
  show(r, `watch: ${r.steady.map((s) => `${s.linesPerSec.toLocaleString('en-US')} lines/s append-to-commit p99 ${s.latencyMs.p99} ms, kept up ${s.keptUp}`).join('; ')} (goal p99 <= 250 ms at 20k; keeps up at >= 100k); burst ${r.burst.linesPerSec.toLocaleString('en-US')} lines/s; peak RSS ${r.watchPeakRssMb} MB`);
});

// Re-ingest of a directory of many unchanged files (what a cron ingest does every run): linear in the files.
await scenario('re-ingest of many unchanged files', async () => {
  const r = benchReingestFiles({ out, counts: quick ? [5_000, 15_000] : [5_000, 15_000, 100_000], runs: 3 });
  show(r, `${r.label}: ${r.rows.map((x) => `${x.files.toLocaleString('en-US')} files ${x.reingestSeconds} s (${x.reingestMicrosecondsPerFile} µs/file; stat of all ${x.statAllSeconds} s)`).join(', ')} (goal: linear)`);
});

// Ingest of the other inputs (mixed shapes, many operation names) and the answers over the smaller store.
for (const [kind, lines, runs] of [
  ['mixed', M, 3], ['many-ops', M, 1], ...big.map((n) => ['mixed', n, 1]),
]) await ingestScenario(kind, lines, runs);
if (small !== largest) {
  await ingestScenario('uniform', small, 1);
  await answersScenario(small);
}

results.loadAverageAtEnd = os.loadavg().map((x) => +x.toFixed(2));
results.summary = summary;
fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 2));
console.log(`\n# Summary (${quick ? 'quick' : 'full'} run, load average ${results.loadAverageAtStart.join(' ')} at start, ${results.loadAverageAtEnd.join(' ')} at end)\n`);
for (const line of summary) console.log(`- ${line}`);
console.log(`\nresults written to ${path.join(out, 'results.json')}`);
