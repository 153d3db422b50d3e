import type { Attrs, SourcedEvent } from '../../core/op-event.js';
import { HOUR_MS } from '../../core/time.js';
import { decodeChunk, dimsByEvent, FLAG_OK, type ChunkDims, type RawColumns, type RawFailure } from '../event-chunks.js';
import type { Db } from './open-store.js';

export interface RawRange {
  /** Inclusive start, exclusive end (epoch ms). */
  fromMs: number;
  toMs: number;
}

export interface RawChunk {
  op: string;
  source: string;
  columns: RawColumns;
  failures: RawFailure[];
  dims: ChunkDims | null;
}

/** Which chunks to read: by operation and source name, tested before a chunk is decoded. */
export interface ChunkFilter {
  op?: (name: string) => boolean;
  source?: (name: string) => boolean;
}

/**
 * Every stored chunk that may hold events in [fromMs, toMs) and passes the filter; events outside the range are
 * still in the columns, so callers filter on `columns.ts` (readRawEvents does). Only whole hours are fetched,
 * through the hour index.
 */
export function* rawChunks(db: Db, r: RawRange & ChunkFilter): Generator<RawChunk> {
  const rows = db
    .prepare(`SELECT o.name AS op, s.name AS source, c.data, c.failures, c.dims FROM event_chunks c
      JOIN ops o ON o.id = c.op_id JOIN sources s ON s.id = c.source_id
      WHERE c.hour >= ? AND c.hour < ? AND c.ts_max >= ? AND c.ts_min < ?`)
    .iterate(r.fromMs - (r.fromMs % HOUR_MS) - (r.fromMs < 0 ? HOUR_MS : 0), r.toMs, r.fromMs, r.toMs) as Iterable<{
    op: string;
    source: string;
    data: Buffer;
    failures: string | null;
    dims: string | null;
  }>;
  for (const row of rows) {
    if ((r.op && !r.op(row.op)) || (r.source && !r.source(row.source))) continue;
    yield { op: row.op, source: row.source, columns: decodeChunk(row.data), failures: row.failures ? JSON.parse(row.failures) : [], dims: row.dims ? JSON.parse(row.dims) : null };
  }
}

/**
 * Raw events in [fromMs, toMs) passing the filter, back in the shape ingest aggregated them in (so window edges
 * roll up exactly as ingest did). Unordered.
 */
export function* readRawEvents(db: Db, r: RawRange & ChunkFilter): Generator<SourcedEvent> {
  for (const chunk of rawChunks(db, r)) yield* chunkEvents(chunk, r);
}

/** One chunk's events in [fromMs, toMs), as ingest saw them. */
export function* chunkEvents(chunk: RawChunk, r: RawRange = { fromMs: -Infinity, toMs: Infinity }): Generator<SourcedEvent> {
  const c = chunk.columns;
  const failures = new Map(chunk.failures.map((f) => [f.i, f]));
  const dims = chunk.dims ? dimsByEvent(chunk.dims, c.n) : null;
  for (let i = 0; i < c.n; i++) {
    const ts = c.ts[i];
    if (ts < r.fromMs || ts >= r.toMs) continue;
    const f = failures.get(i);
    const ev: SourcedEvent = {
      ts, op: chunk.op, source: chunk.source,
      durationMs: Number.isNaN(c.duration[i]) ? null : c.duration[i],
      ok: (c.flags[i] & FLAG_OK) !== 0,
    };
    let attrs: Attrs | undefined;
    if (!Number.isNaN(c.concurrency[i])) (attrs ??= {}).concurrency = c.concurrency[i];
    if (!Number.isNaN(c.memoryMb[i])) (attrs ??= {}).memoryMb = c.memoryMb[i];
    if (!Number.isNaN(c.cpuPercent[i])) (attrs ??= {}).cpuPercent = c.cpuPercent[i];
    if (!Number.isNaN(c.retries[i])) (attrs ??= {}).retries = c.retries[i];
    if (attrs) ev.attrs = attrs;
    const d = dims?.[i];
    if (d) ev.dims = d;
    if (f) {
      if (f.category) ev.errorCategory = f.category;
      if (f.code) ev.errorCode = f.code;
      if (f.message) ev.errorMessage = f.message;
    }
    yield ev;
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
