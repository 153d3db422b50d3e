#!/usr/bin/env node
// npm run bench [-- --quick]: every scenario in turn; results go to stdout as text and to bench/out/results.json.
// Inputs are generated from a fixed seed into bench/out/ (git-ignored) and reused by later runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchAnalyze } from './analyze.mjs';
import { benchIngest } from './ingest.mjs';

const quick = process.argv.includes('--quick');
const out = path.join(path.dirname(new URL(import.meta.url).pathname), 'out');
fs.mkdirSync(out, { recursive: true });
const results = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, scenarios: [] };

function show(r) {
  console.log(`\n## ${r.label}`);
  console.log(JSON.stringify(r, null, 2));
  results.scenarios.push(r);
}

const small = await benchIngest({ out, lines: 1_000_000, label: 'ingest 1M lines' });
show(small);
if (!quick) {
  // 10M lines (~1.5 GB): memory must stay flat as input grows, and the store feeds the analyze timing.
  const big = await benchIngest({ out, lines: 10_000_000, label: 'ingest 10M lines (~1.5 GB)' });
  show(big);
  // The generator starts at 2026-11-09 with a 50 ms mean gap: 10M lines span ~5.8 days.
  show({ label: 'analyze --days 7 over 10M events', ...benchAnalyze({ db: big.db, now: '2026-11-16T00:00:00Z' }) });
}
const watch = path.join(path.dirname(new URL(import.meta.url).pathname), 'watch.mjs');
if (fs.existsSync(watch)) {
  const { benchWatch } = await import(watch);
  show({ label: 'watch: sustained appends', ...(await benchWatch({ out })) });
}
fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 2));
console.log(`\nresults written to ${path.join(out, 'results.json')}`);
