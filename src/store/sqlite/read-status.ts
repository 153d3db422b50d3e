import fs from 'node:fs';
import { MINUTE_MS } from '../../core/time.js';
import type { StoreStatus } from '../store.js';
import { SqliteCheckpoints } from './sqlite-checkpoints.js';
import type { Db } from './open-store.js';

/** Sources summed per scan of the rollups: one scan for any usual store, a bounded statement for any store. */
const SOURCES_PER_SCAN = 100;

export function readStatus(db: Db, dbPath: string): StoreStatus {
  const bytes = ['', '-wal'].reduce((s, suffix) => s + (fs.existsSync(dbPath + suffix) ? fs.statSync(dbPath + suffix).size : 0), 0);
  // The first and last minute come from the primary key's ends, not from a scan.
  const lo = db.prepare('SELECT min(minute) FROM minute_stats').pluck().get() as number | null;
  const hi = db.prepare('SELECT max(minute) FROM minute_stats').pluck().get() as number | null;
  const { events, operations, sources } = sumRollups(db);
  return {
    db: { path: dbPath, bytes, schemaVersion: db.pragma('user_version', { simple: true }) as number },
    events,
    rawEvents: (db.prepare('SELECT coalesce(sum(n), 0) FROM event_chunks').pluck().get() as number) ?? 0,
    range: lo === null ? null : { from: lo, to: (hi as number) + MINUTE_MS },
    sources,
    operations,
    quarantined: db.prepare('SELECT count(*) FROM quarantine').pluck().get() as number,
    quarantineReasons: db.prepare('SELECT reason, count(*) AS count FROM quarantine GROUP BY reason ORDER BY count DESC').all() as StoreStatus['quarantineReasons'],
    files: new SqliteCheckpoints(db).list(),
  };
}

/**
 * The events, operations and per-source events of the rollups, in one scan of minute_stats for up to
 * SOURCES_PER_SCAN sources: each source's sum is a filtered aggregate, where GROUP BY would sort every row first.
 * A source without rows has no sum and is left out; the busiest come first (ties by name).
 */
function sumRollups(db: Db): Pick<StoreStatus, 'events' | 'operations' | 'sources'> {
  const all = db.prepare('SELECT id, name FROM sources ORDER BY name').raw().all() as Array<[number, string]>;
  const scan = (totals: string[], part: Array<[number, string]>): Array<number | null> => {
    const sums = [...totals, ...part.map(() => 'sum(count) FILTER (WHERE source_id = ?)')];
    return db.prepare(`SELECT ${sums.join(', ')} FROM minute_stats`).raw().get(...part.map(([id]) => id)) as Array<number | null>;
  };
  const [events, operations, ...sums] = scan(['coalesce(sum(count), 0)', 'count(DISTINCT op_id)'], all.slice(0, SOURCES_PER_SCAN));
  for (let i = SOURCES_PER_SCAN; i < all.length; i += SOURCES_PER_SCAN) sums.push(...scan([], all.slice(i, i + SOURCES_PER_SCAN)));
  const sources = all.flatMap(([, name], k) => (sums[k] === null ? [] : [{ name, events: sums[k] as number }]));
  return { events: events as number, operations: operations as number, sources: sources.sort((a, b) => b.events - a.events) };
}
