import type { SourcedEvent } from '../../core/op-event.js';
import { floorTo, HOUR_MS } from '../../core/time.js';
import { chunkEvents, decodeStoredChunk, type RawChunk, type RawRange, type StoredChunk } from '../event-chunks.js';
import type { Db } from './open-store.js';

/** Which chunks to read: their operation among `ops` (null: any) and their source `source` (null: any). */
export interface ChunkScope {
  ops: readonly string[] | null;
  source: string | null;
}

/** The columns of a StoredChunk and where they come from; a query adds its WHERE. */
export const STORED_CHUNK = `c.id, c.hour, c.ts_min AS tsMin, c.ts_max AS tsMax, c.n, o.name AS op, s.name AS source, c.data, c.failures, c.dims
  FROM event_chunks c JOIN ops o ON o.id = c.op_id JOIN sources s ON s.id = c.source_id`;

/**
 * Every stored chunk that may hold events in [fromMs, toMs) and is in scope; events outside the range are still in
 * the columns, so callers filter on `columns.ts` (readRawEvents does). Only whole hours are fetched, through the
 * hour index, and the scope is tested in SQL, so a chunk out of scope is never read or decoded.
 */
export function* rawChunks(db: Db, r: RawRange, scope: ChunkScope): Generator<RawChunk> {
  let where = 'c.hour >= ? AND c.hour < ? AND c.ts_max >= ? AND c.ts_min < ?';
  const params: Array<number | string> = [floorTo(r.fromMs, HOUR_MS), r.toMs, r.fromMs, r.toMs];
  if (scope.ops) {
    where += ` AND c.op_id IN (SELECT id FROM ops WHERE name IN (${scope.ops.map(() => '?').join(', ')}))`;
    params.push(...scope.ops);
  }
  if (scope.source !== null) {
    where += ' AND c.source_id IN (SELECT id FROM sources WHERE name = ?)';
    params.push(scope.source);
  }
  // In storage order, stated: samples stop early and float sums depend on the order, so the same store must give
  // the same chunks in the same order whatever index SQLite picks (the hour index serves this order unsorted).
  const rows = db.prepare(`SELECT ${STORED_CHUNK} WHERE ${where} ORDER BY c.hour, c.id`).iterate(params) as Iterable<StoredChunk>;
  for (const row of rows) yield { op: row.op, source: row.source, ...decodeStoredChunk(row) };
}

/**
 * Raw events in [fromMs, toMs) passing the filter, back in the shape ingest aggregated them in (so window edges
 * roll up exactly as ingest did). Unordered.
 */
export function* readRawEvents(db: Db, r: RawRange, scope: ChunkScope): Generator<SourcedEvent> {
  for (const chunk of rawChunks(db, r, scope)) yield* chunkEvents(chunk, r);
}

/**
 * The instant before which `oplens prune` removed raw events, or null when nothing was ever pruned (every
 * ingested event is still stored raw).
 */
export function rawPrunedBefore(db: Db): number | null {
  const v = db.prepare("SELECT value FROM meta WHERE key = 'raw_pruned_before'").pluck().get() as string | undefined;
  return v === undefined ? null : Number(v);
}
