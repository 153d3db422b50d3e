import type { QuarantineEntry } from '../batch-writer.js';
import { decodeStoredChunk, type StoredChunk } from '../event-chunks.js';
import type { Unshipped } from '../ship-outbox.js';
import type { Db } from './open-store.js';
import { STORED_CHUNK } from './raw-events.js';

const QUARANTINE_PER_BATCH = 10_000;

/**
 * Reads the next batch after the cursors in one read transaction, so chunks and quarantine come from the same
 * committed state. Row ids only grow (prune never deletes the newest chunk), so a cursor never skips a later commit.
 */
export function readUnshipped(db: Db, chunkCursor: number, quarantineCursor: number, maxEvents: number): Unshipped {
  return db.transaction(() => {
    const out: Unshipped = { chunks: [], quarantine: [], events: 0, chunkTo: chunkCursor, quarantineTo: quarantineCursor, folded: foldedCounters(db) };
    const rows = db.prepare(`SELECT ${STORED_CHUNK} WHERE c.id > ? ORDER BY c.id`).iterate(chunkCursor) as Iterable<StoredChunk>;
    for (const r of rows) {
      const chunk = decodeStoredChunk(r);
      out.chunks.push({ id: r.id, hour: r.hour, op: r.op, source: r.source, ...chunk });
      out.events += chunk.columns.n;
      out.chunkTo = r.id;
      if (out.events >= maxEvents) break;
    }
    const q = db.prepare(`SELECT id, file, line, byte_offset AS offset, reason, snippet, at FROM quarantine WHERE id > ? ORDER BY id LIMIT ?`)
      .all(quarantineCursor, QUARANTINE_PER_BATCH) as Array<QuarantineEntry & { at: number; id: number }>;
    for (const { id, ...entry } of q) {
      out.quarantine.push(entry);
      out.quarantineTo = id;
    }
    return out;
  }).deferred();
}

/** The store's counters of names folded past its caps: folded_ops, folded_sources, folded_values:DIM (meta). */
export function foldedCounters(db: Db): Array<[string, number]> {
  return db.prepare("SELECT key, CAST(value AS INTEGER) FROM meta WHERE key LIKE 'folded\\_%' ESCAPE '\\' ORDER BY key").raw().all() as Array<[string, number]>;
}

/** Events the store holds raw that no target has confirmed yet, for progress and for "how far behind". */
export function unshippedEvents(db: Db, chunkCursor: number): number {
  return db.prepare('SELECT coalesce(sum(n), 0) FROM event_chunks WHERE id > ?').pluck().get(chunkCursor) as number;
}
