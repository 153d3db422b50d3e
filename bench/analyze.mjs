// Scenario: `oplens analyze --days 7` over a store, timed as a user runs it (a fresh process each time).
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const bin = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist', 'cli', 'main.js');

export function benchAnalyze({ db, now, runs = 3 }) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, [bin, '--db', db, 'analyze', '--days', '7', '--now', now, '--format', 'json'], { stdio: ['ignore', 'ignore', 'inherit'] });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { runs, medianSeconds: +(times[Math.floor(runs / 2)] / 1000).toFixed(3), minSeconds: +(times[0] / 1000).toFixed(3) };
}
