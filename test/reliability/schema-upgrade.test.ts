import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, query, runCli, tmpDir } from '../helpers/cli.js';

const DEMO = path.join(ROOT, 'fixtures/demo');

/**
 * Puts a store back to the schema before the last six migrations: no five_min_hist, no minute_totals, no day_hist,
 * no hour_stats, the hour index without the chunks' counts, operations, sources and time spans.
 */
function downgradeToPreviousSchema(dbPath: string): number {
  const db = new Database(dbPath);
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    db.exec('DROP TABLE five_min_hist; DROP TABLE minute_totals; DROP TABLE day_hist; DROP TABLE hour_stats; DROP INDEX event_chunks_hour; CREATE INDEX event_chunks_hour ON event_chunks (hour);');
    db.pragma(`user_version = ${version - 6}`);
    return version;
  } finally {
    db.close();
  }
}

function withoutGenerationTime(json: string): string {
  const doc = JSON.parse(json);
  delete doc.generatedAt;
  return JSON.stringify(doc);
}

/** five_min_hist's counts summed per (start, op, source, bucket), whatever rows they are stored in. */
function fiveMinuteCounts(dbPath: string): Array<[string, number]> {
  const sums = new Map<string, number>();
  for (const { hists } of query<{ hists: string }>(dbPath, 'SELECT hists FROM five_min_hist')) {
    for (const [t, op, source, buckets, counts] of JSON.parse(hists) as Array<[number, number, number, number[], number[]]>) {
      buckets.forEach((b, i) => sums.set(`${t},${op},${source},${b}`, (sums.get(`${t},${op},${source},${b}`) ?? 0) + counts[i]));
    }
  }
  return [...sums].sort();
}

describe('a store written by the previous schema', () => {
  it('is refused by reading commands with the fix, upgraded by the next ingest, and reads the same afterwards', () => {
    const db = path.join(tmpDir(), 'old.db');
    expect(runCli(['--db', db, 'ingest', DEMO]).code).toBe(0);
    const before = JSON.parse(runCli(['--db', db, 'status', '--json']).stdout);
    const analyze = ['--db', db, 'analyze', '--days', '7', '--now', '2026-11-16T00:00:00Z', '--format', 'json'];
    const docBefore = withoutGenerationTime(runCli(analyze).stdout);
    // Three hours: a fine series, whose whole 5-minute buckets come from five_min_hist.
    const fine = ['--db', db, 'analyze', '--hours', '3', '--until', '2026-11-12T14:07:00Z', '--now', '2026-11-16T00:00:00Z', '--format', 'json'];
    const fineBefore = withoutGenerationTime(runCli(fine).stdout);
    expect(JSON.parse(fineBefore).trends.resolution).toMatch(/^(5|15|30)min$/);
    const writtenFives = fiveMinuteCounts(db);
    expect(writtenFives.length).toBeGreaterThan(0);
    const hourStats = (file: string) => query<Record<string, number>>(file, 'SELECT * FROM hour_stats ORDER BY hour, op_id, source_id');
    const written = hourStats(db);
    const dayHist = (file: string) => query<Record<string, number | string>>(file, 'SELECT * FROM day_hist ORDER BY day, op_id, source_id');
    const writtenDays = dayHist(db);
    const minuteTotals = (file: string) => query<Record<string, number>>(file, 'SELECT * FROM minute_totals ORDER BY minute');
    const writtenMinutes = minuteTotals(db);
    const version = downgradeToPreviousSchema(db);

    const refused = runCli(['--db', db, 'status']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/needs a schema upgrade/);
    expect(refused.stderr).toMatch(/oplens ingest/);

    expect(runCli(['--db', db, 'ingest', DEMO]).code).toBe(0);
    const after = JSON.parse(runCli(['--db', db, 'status', '--json']).stdout);
    expect(after.db.schemaVersion).toBe(version);
    expect(after.events).toBe(before.events);
    expect(after.rawEvents).toBe(before.rawEvents);
    expect(after.rawEvents).toBe(query<{ n: number }>(db, 'SELECT sum(n) AS n FROM event_chunks')[0].n);
    // The retained raw events are now summed from the index alone, and raw chunks are still read in the order they
    // were before (the analysis takes its concurrency sample in that order), without a sort.
    const plan = (sql: string) => query<{ detail: string }>(db, `EXPLAIN QUERY PLAN ${sql}`).map((r) => r.detail).join(' ');
    expect(plan('SELECT sum(n) FROM event_chunks')).toMatch(/COVERING INDEX event_chunks_hour/);
    expect(plan('SELECT id, data FROM event_chunks WHERE hour >= 0 AND hour < 1e15 ORDER BY hour, id')).not.toMatch(/TEMP B-TREE/);
    // A raw read of a time range and an operation picks its chunks from the index, without visiting their rows.
    const picked = plan('SELECT id FROM event_chunks WHERE hour >= 0 AND hour < 1e15 AND ts_max >= 0 AND ts_min < 1e15 AND op_id IN (1) AND source_id IN (1) ORDER BY hour, id');
    expect(picked).toMatch(/COVERING INDEX event_chunks_hour/);
    expect(picked).not.toMatch(/TEMP B-TREE/);
    expect(withoutGenerationTime(runCli(analyze).stdout)).toBe(docBefore);
    // The upgrade fills day_hist from hour_hist and minute_totals from minute_stats with the counts ingest added up.
    expect(dayHist(db)).toEqual(writtenDays);
    expect(minuteTotals(db)).toEqual(writtenMinutes);
    // It fills five_min_hist from the raw chunks (a row per hour instead of one per batch, with the same counts).
    expect(fiveMinuteCounts(db)).toEqual(writtenFives);
    expect(withoutGenerationTime(runCli(fine).stdout)).toBe(fineBefore);
    // The upgrade fills hour_stats from minute_stats with what ingest writes (sums of floating-point values may
    // differ in their last bits: they are added in another order).
    const filled = hourStats(db);
    expect(filled.length).toBe(written.length);
    filled.forEach((row, i) => {
      for (const [k, v] of Object.entries(written[i])) {
        if (typeof v === 'number' && !Number.isInteger(v)) expect(Math.abs(row[k] - v), k).toBeLessThanOrEqual(1e-9 * Math.abs(v));
        else expect(row[k], k).toBe(v);
      }
    });
  });
});
