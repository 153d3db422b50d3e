import type { Db } from './open-store.js';

/** meta key: raw events before this instant (epoch ms) were pruned; rollups still cover them. */
const KEY = 'rawRetainedFrom';

export function readRawRetainedFrom(db: Db): number | null {
  const v = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(KEY) as string | undefined;
  return v === undefined ? null : Number(v);
}

/** Only ever moves forward: a later prune with a longer retention cannot bring deleted events back. */
export function recordRawRetainedFrom(db: Db, ms: number): number {
  const now = Math.max(ms, readRawRetainedFrom(db) ?? -Infinity);
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(KEY, String(now));
  return now;
}
