import type { SourcedEvent } from '../../core/op-event.js';
import { floorTo, HOUR_MS } from '../../core/time.js';
import { chunkEvents, decodeStoredChunk, type RawChunk, type RawRange, type StoredChunk } from '../event-chunks.js';
import type { Db } from './open-store.js';
import type { Scope } from '../queries.js';

/** The columns of a StoredChunk and where they come from; a query adds its WHERE. */
export const STORED_CHUNK = `c.id, c.hour, c.ts_min AS tsMin, c.ts_max AS tsMax, c.n, o.name AS op, s.name AS source, c.data, c.failures, c.dims
  FROM event_chunks c JOIN ops o ON o.id = c.op_id JOIN sources s ON s.id = c.source_id`;

/** Decoded chunks kept for later reads: about 16 MB of columns. */
const CACHED_EVENTS = 320_000;

/**
 * Reads raw chunks, and keeps the most recently decoded ones: an analysis reads a window's raw events several times
 * (the concurrency sample's slices cut through the same chunks, a short window's fine series, the slowest events
 * and the edges read them again), and decoding a chunk costs more than finding it. A chunk is known by its whole
 * index entry, so a row id that SQLite reuses after a prune is not taken for the chunk that had it before.
 */
export class ChunkReader {
  private readonly cache = new Map<string, RawChunk>();
  private cachedEvents = 0;

  constructor(
    private readonly db: Db,
    private readonly maxEvents = CACHED_EVENTS,
  ) {}

  /**
   * Every stored chunk that may hold events in [fromMs, toMs) and is in scope; events outside the range are still
   * in the columns, so callers filter on `columns.ts` (readRawEvents does). The chunks are picked from the hour
   * index alone (the scope is tested there too), and only those picked are read and decoded.
   */
  *chunks(r: RawRange, scope: Scope): Generator<RawChunk> {
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
    const picked = this.db.prepare(`SELECT c.id, c.hour, c.n, c.op_id, c.source_id, c.ts_min, c.ts_max FROM event_chunks c
      WHERE ${where} ORDER BY c.hour, c.id`).raw().iterate(params) as Iterable<number[]>;
    const read = this.db.prepare(`SELECT ${STORED_CHUNK} WHERE c.id = ?`);
    for (const entry of picked) {
      const key = entry.join(',');
      let chunk = this.cache.get(key);
      if (chunk) {
        // Most recently used last, so that the oldest is dropped first.
        this.cache.delete(key);
        this.cache.set(key, chunk);
      } else {
        const row = read.get(entry[0]) as StoredChunk | undefined;
        // Pruned meanwhile.
        if (!row) continue;
        chunk = { op: row.op, source: row.source, ...decodeStoredChunk(row) };
        this.keep(key, chunk);
      }
      yield chunk;
    }
  }

  /**
   * Raw events in [fromMs, toMs) in scope, back in the shape ingest aggregated them in (so window edges roll up
   * exactly as ingest did). Unordered.
   */
  *events(r: RawRange, scope: Scope): Generator<SourcedEvent> {
    for (const chunk of this.chunks(r, scope)) yield* chunkEvents(chunk, r);
  }

  private keep(key: string, chunk: RawChunk): void {
    this.cache.set(key, chunk);
    this.cachedEvents += chunk.columns.n;
    for (const [old, c] of this.cache) {
      if (this.cachedEvents <= this.maxEvents) break;
      this.cache.delete(old);
      this.cachedEvents -= c.columns.n;
    }
  }
}

/**
 * The instant before which `oplens prune` removed raw events, or null when nothing was ever pruned (every
 * ingested event is still stored raw).
 */
export function rawPrunedBefore(db: Db): number | null {
  const v = db.prepare("SELECT value FROM meta WHERE key = 'raw_pruned_before'").pluck().get() as string | undefined;
  return v === undefined ? null : Number(v);
}
