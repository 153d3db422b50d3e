import type { QuarantineEntry } from '../batch-writer.js';
import { decodeChunk } from '../event-chunks.js';
import type { Unshipped } from '../ship-outbox.js';
import type { Db } from './open-store.js';

const QUARANTINE_PER_BATCH = 10_000;

/**
 * Reads the next batch after the cursors in one read transaction, so chunks and quarantine come from the same
 * committed state. Row ids only grow (prune never deletes the newest chunk), so a cursor never skips a later commit.
 */
export function readUnshipped(db: Db, chunkCursor: number, quarantineCursor: number, maxEvents: number): Unshipped {
  return db.transaction(() => {
    const out: Unshipped = { chunks: [], quarantine: [], events: 0, chunkTo: chunkCursor, quarantineTo: quarantineCursor };
    const rows = db.prepare(`SELECT c.id, o.name AS op, s.name AS source, c.data, c.failures, c.dims FROM event_chunks c
      JOIN ops o ON o.id = c.op_id JOIN sources s ON s.id = c.source_id WHERE c.id > ? ORDER BY c.id`).iterate(chunkCursor) as Iterable<{
      id: number; op: string; source: string; data: Buffer; failures: string | null; dims: string | null;
    }>;
    for (const r of rows) {
      const columns = decodeChunk(r.data);
      out.chunks.push({ id: r.id, op: r.op, source: r.source, columns, failures: r.failures ? JSON.parse(r.failures) : [], dims: r.dims ? JSON.parse(r.dims) : null });
      out.events += columns.n;
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

/** Events the store holds raw that no target has confirmed yet, for progress and for "how far behind". */
export function unshippedEvents(db: Db, chunkCursor: number): number {
  return db.prepare('SELECT coalesce(sum(n), 0) FROM event_chunks WHERE id > ?').pluck().get(chunkCursor) as number;
}
