import type { Db } from './open-store.js';
import { rawPrunedBefore } from './raw-events.js';

/**
 * Records that raw events before `ms` are gone (the meta key raw-events.ts reads). It only ever moves forward: a
 * later prune with a longer retention cannot bring deleted events back.
 */
export function recordRawPrunedBefore(db: Db, ms: number): number {
  const now = Math.max(ms, rawPrunedBefore(db) ?? -Infinity);
  db.prepare("INSERT INTO meta (key, value) VALUES ('raw_pruned_before', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(now));
  return now;
}
