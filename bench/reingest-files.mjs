// Scenario: re-ingest of a directory of many unchanged files (5,000 / 15,000 / 100,000), as a cron `ingest logs/`
// does every run. Each file is one small log; the first ingest reads them all, the later ones find every file
// unchanged. Floor: a process that lists the same directory and stats every file, which a re-ingest cannot avoid.
// Standalone: node bench/reingest-files.mjs [COUNT...]
import fs from 'node:fs';
import path from 'node:path';
import { median, runNode, runOplens, seconds } from './timing.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const STAT_ALL = `const fs = require('node:fs'), path = require('node:path'); const d = process.argv[1];
  for (const n of fs.readdirSync(d)) fs.statSync(path.join(d, n));`;

/** N files of 3 lines each under out/files-N (kept between runs: the same bytes every time). */
function filesDir(out, n) {
  const dir = path.join(out, `files-${n}`);
  if (fs.existsSync(path.join(dir, 'done'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const t0 = Date.UTC(2026, 10, 16);
  for (let i = 0; i < n; i++) {
    const lines = [0, 1, 2].map((k) => JSON.stringify({ timestamp: t0 + i * 1000 + k, operation: `job.${i % 50}`, duration: 5 + ((i * 7 + k) % 90), success: (i + k) % 17 !== 0 }));
    fs.writeFileSync(path.join(dir, `app-${String(i).padStart(6, '0')}.jsonl`), lines.join('\n') + '\n');
  }
  fs.writeFileSync(path.join(dir, 'done'), '');
  return dir;
}

export function benchReingestFiles({ out, counts = [5_000, 15_000, 100_000], runs = 3 }) {
  const rows = [];
  for (const n of counts) {
    const dir = filesDir(out, n);
    const db = path.join(out, `files-${n}.db`);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
    const first = runOplens(['--db', db, 'ingest', dir, '--quiet']);
    const again = [];
    const floor = [];
    for (let i = 0; i < runs; i++) {
      const r = runOplens(['--db', db, 'ingest', dir]);
      if (!r.stderr.includes(`, ${n} unchanged`)) throw new Error(`re-ingest of ${n} files did not find them unchanged: ${r.stderr}`);
      again.push(r.ms);
      floor.push(runNode(['-e', STAT_ALL, dir]).ms);
    }
    const ms = median(again);
    rows.push({
      files: n,
      firstIngestSeconds: seconds(first.ms),
      reingestSeconds: seconds(ms),
      reingestRunsSeconds: again.map(seconds),
      reingestMicrosecondsPerFile: Math.round((ms * 1000) / n),
      statAllSeconds: seconds(median(floor)),
      peakRssMb: first.peakRssMb,
    });
  }
  return { label: `re-ingest of ${counts.map((n) => n.toLocaleString('en-US')).join(' / ')} unchanged files`, runs, rows };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const out = path.join(here, 'out');
  fs.mkdirSync(out, { recursive: true });
  console.log(JSON.stringify(benchReingestFiles({ out, ...(counts.length ? { counts } : {}) }), null, 2));
}
