import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { writeLog } from '../../fixtures/generate-log.mjs';
import { query, runCli, spawnCli, storedCount, tmpDir } from '../helpers/cli.js';

function totals(db: string) {
  return query(db, 'SELECT sum(count) AS count, sum(error_count) AS errors, sum(dur_sum) AS sum FROM minute_stats')[0];
}

function fileTotals(db: string) {
  return query(db, 'SELECT sum(n) AS raw FROM event_chunks')[0];
}

function partialCount(file: string): number {
  const conn = new Database(file);
  try {
    const hasTables = conn.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'minute_stats'").get() !== undefined;
    return hasTables ? (conn.prepare('SELECT coalesce(sum(count), 0) FROM minute_stats').pluck().get() as number) : 0;
  } finally {
    conn.close();
  }
}

describe('a kill in the middle of ingest', () => {
  it('loses nothing committed and counts nothing twice on the next run', async () => {
    const dir = tmpDir();
    const log = path.join(dir, 'big.jsonl');
    // Large enough (~47 MB) that the worker pool is used and the run takes well over the kill delay.
    await writeLog(log, { seed: 9, count: 300_000 });
    const reference = path.join(dir, 'ref.db');
    expect(runCli(['--db', reference, 'ingest', log]).code).toBe(0);

    const db = path.join(dir, 'killed.db');
    for (const delay of [250, 600]) {
      const child = spawnCli(['--db', db, 'ingest', log]);
      const exited = new Promise((r) => child.on('exit', r));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await exited;
    }
    // Opened for writing: a killed writer's log may need recovery, which a read-only connection cannot do. On a
    // loaded machine both kills may land before the store has its tables.
    const partial = fs.existsSync(db) ? partialCount(db) : 0;
    expect(partial).toBeLessThan(300_000);
    const r = runCli(['--db', db, 'ingest', log]);
    expect(r.code, r.stderr).toBe(0);
    // Counts exactly; the duration sum up to float rounding: a minute split across two commits adds its durations
    // in another order than one commit does (which minutes split depends on when the kills land).
    const [got, want] = [totals(db), totals(reference)];
    expect({ count: got.count, errors: got.errors }).toEqual({ count: want.count, errors: want.errors });
    expect(Math.abs((got.sum as number) - (want.sum as number)) / (want.sum as number)).toBeLessThan(1e-9);
    expect(fileTotals(db)).toEqual(fileTotals(reference));
    expect(storedCount(db)).toBe(300_000);
    expect(query(db, 'PRAGMA integrity_check')[0]).toEqual({ integrity_check: 'ok' });
  });
});
