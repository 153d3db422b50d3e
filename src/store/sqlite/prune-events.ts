import { floorTo, HOUR_MS } from '../../core/time.js';
import type { PruneResult } from '../store.js';
import type { Db } from './open-store.js';
import { rawPrunedBefore } from './raw-events.js';
import { shippedChunkFloor } from './sqlite-ship-outbox.js';

/**
 * Deletes raw events stamped before `cutoff`, rounded down to the hour because raw chunks hold one hour each (so
 * the cut is exact and up to an hour more is kept), and records the cut in meta in the same transaction: the
 * analysis never takes an edge hour for raw when it is not. Rollups (minute_stats, hour_hist, error_groups) are
 * kept, so totals and percentiles of old windows stay available; five_min_hist goes with the raw events, as only a
 * window whose raw events are retained reads it (a fine series). Chunks a ship target has not confirmed yet are
 * kept (the fleet is built from them), and so, once the store ships, is the newest chunk: SQLite reuses the largest
 * rowid once it is deleted, and shipping cursors rely on ids that only grow.
 */
export function pruneEvents(db: Db, cutoff: number): PruneResult {
  const hour = floorTo(cutoff, HOUR_MS);
  return db.transaction(() => {
    const floor = shippedChunkFloor(db);
    const where = floor === null ? 'hour < ? AND id <= ?' : 'hour < ? AND id <= ? AND id < (SELECT max(id) FROM event_chunks)';
    const upTo = floor ?? Number.MAX_SAFE_INTEGER;
    const deleted = db.prepare(`SELECT coalesce(sum(n), 0) FROM event_chunks WHERE ${where}`).pluck().get(hour, upTo) as number;
    db.prepare(`DELETE FROM event_chunks WHERE ${where}`).run(hour, upTo);
    db.prepare('DELETE FROM five_min_hist WHERE last_start < ?').run(hour);
    return { deleted, prunedBefore: recordRawPrunedBefore(db, hour) };
  }).immediate();
}

/** The meta key raw-events.ts reads. It only moves forward: a later, longer retention cannot bring events back. */
function recordRawPrunedBefore(db: Db, ms: number): number {
  const mark = Math.max(ms, rawPrunedBefore(db) ?? -Infinity);
  db.prepare("INSERT INTO meta (key, value) VALUES ('raw_pruned_before', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(mark));
  return mark;
}

/** Gives the freed pages back to the file system (slow on a large store, so optional). */
export function vacuum(db: Db): void {
  db.exec('VACUUM');
}
