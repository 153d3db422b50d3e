// Scenario: oplens's answers from its store against DuckDB rescanning the raw files for the same figures, each a
// new process (start-up included), measured alternately in the same run; the goal is oplens <= 0.1x DuckDB.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, ratio, repeat, runNode, runOplens, seconds } from './timing.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
export const NOW = '2026-11-16T00:00:00Z';

/** The three commands people wait on, with the arguments that match duckdb-peer.mjs's windows. */
export function commands(reportDir) {
  return {
    'analyze --days 7': { peer: 'analyze', args: ['analyze', '--days', '7', '--now', NOW, '--format', 'json'] },
    'report weekly': { peer: 'weekly', args: ['report', 'weekly', '--week', '2026-W46', '--now', NOW, '--out', reportDir] },
    incident: { peer: 'incident', args: ['incident', '--at', '2026-11-09T12:00:00Z', '--window', '2h', '--now', NOW, '--format', 'md', '--out', reportDir] },
  };
}

export function duckdb(peer, files) {
  return runNode([path.join(here, 'duckdb-peer.mjs'), peer, NOW, ...files]);
}

/** Each command over a store of `events` events (db) against DuckDB over the files it was ingested from. */
export async function benchAnswers({ db, files, events, runs }) {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oplens-bench-reports-'));
  const results = [];
  try {
    for (const [name, c] of Object.entries(commands(reportDir))) {
      const ours = [];
      const theirs = [];
      for (let i = 0; i < runs; i++) {
        ours.push(runOplens(['--db', db, ...c.args]).ms);
        theirs.push(duckdb(c.peer, files).ms);
      }
      const [o, t] = [median(ours), median(theirs)];
      results.push({
        label: `${name}, ${events.toLocaleString('en-US')} events`, command: `oplens ${c.args.join(' ')}`, runs,
        oplens: { seconds: seconds(o), runsSeconds: ours.map(seconds) },
        duckdbRescan: { seconds: seconds(t), runsSeconds: theirs.map(seconds) },
        ratioToDuckdb: ratio(o, t), goal: '<= 0.1',
      });
    }
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
  return results;
}

export { repeat };
