import { isTimeout } from '../ingest/normalize/classify-error.js';
import { DamagedStoreError } from '../errors.js';
import type { Attrs, SourcedEvent } from '../core/op-event.js';

/**
 * Raw events are stored column-wise in chunks (one per batch, hour, op and source) rather than one SQL row each:
 * a row per event costs more than parsing the line, a chunk costs one insert for ~1,000 events, and reading a
 * window back for exact percentiles is a typed-array copy. Numeric attributes get columns; failures keep their
 * category, code and message in a small JSON side list.
 */
export interface RawColumns {
  n: number;
  ts: Float64Array;
  /** NaN when the line had no duration. */
  duration: Float64Array;
  /** Bit 0: ok; bit 1: timeout. */
  flags: Uint8Array;
  /** NaN when the line did not carry the attribute. */
  concurrency: Float32Array;
  memoryMb: Float32Array;
  cpuPercent: Float32Array;
  retries: Float32Array;
}

export interface RawFailure {
  /** Index in the chunk. */
  i: number;
  category?: string;
  code?: string;
  message?: string;
}

/**
 * Dimension values of a chunk's events: the names, a dictionary of values per name, and per name the index of each
 * event's value in it (−1: the line did not carry it). Stored as JSON beside the columns; a chunk holds few
 * distinct values, so this costs a small integer per event and dimension.
 */
export interface ChunkDims {
  k: string[];
  v: string[][];
  i: number[][];
}

/** Raw events of one (hour, op, source), encoded for the event_chunks table. */
export interface EncodedChunk {
  hour: number;
  op: string;
  source: string;
  tsMin: number;
  tsMax: number;
  n: number;
  data: Buffer;
  failures: string | null;
  /** Dimension values of the chunk's events (see ChunkDims), or null when they carry none. */
  dims: ChunkDims | null;
}

export const FLAG_OK = 1;
export const FLAG_TIMEOUT = 2;
const BYTES_PER_EVENT = 8 + 8 + 4 * 4 + 1;

export function encodeChunk(events: SourcedEvent[]): { data: Buffer; failures: string | null; dims: ChunkDims | null } {
  const n = events.length;
  const buf = Buffer.alloc(n * BYTES_PER_EVENT);
  const c = view(buf, n);
  const failures: RawFailure[] = [];
  for (let i = 0; i < n; i++) {
    const e = events[i];
    c.ts[i] = e.ts;
    c.duration[i] = e.durationMs ?? NaN;
    c.flags[i] = (e.ok ? FLAG_OK : 0) | (isTimeout(e.errorCategory) ? FLAG_TIMEOUT : 0);
    const a = e.attrs;
    c.concurrency[i] = num(a?.concurrency);
    c.memoryMb[i] = num(a?.memoryMb);
    c.cpuPercent[i] = num(a?.cpuPercent);
    c.retries[i] = num(a?.retries);
    if (!e.ok) failures.push({ i, category: e.errorCategory, code: e.errorCode, message: e.errorMessage });
  }
  return { data: buf, failures: failures.length ? JSON.stringify(failures) : null, dims: encodeDims(events) };
}

function encodeDims(events: SourcedEvent[]): ChunkDims | null {
  const index = new Map<string, { values: Map<string, number>; list: string[]; at: number[] }>();
  for (let n = 0; n < events.length; n++) {
    const d = events[n].dims;
    if (d === undefined) continue;
    for (const k in d) {
      let col = index.get(k);
      if (!col) index.set(k, (col = { values: new Map(), list: [], at: new Array(events.length).fill(-1) }));
      const v = d[k];
      let id = col.values.get(v);
      if (id === undefined) {
        id = col.list.length;
        col.values.set(v, id);
        col.list.push(v);
      }
      col.at[n] = id;
    }
  }
  if (index.size === 0) return null;
  const k = [...index.keys()];
  return { k, v: k.map((name) => index.get(name)!.list), i: k.map((name) => index.get(name)!.at) };
}

/** Each event's dimension values, by position in the chunk (undefined where the event carries none). */
export function dimsByEvent(d: ChunkDims, n: number): Array<Record<string, string> | undefined> {
  const out: Array<Record<string, string> | undefined> = new Array(n);
  for (let j = 0; j < d.k.length; j++) {
    const name = d.k[j];
    const values = d.v[j];
    const at = d.i[j];
    for (let e = 0; e < n; e++) if (at[e] >= 0) (out[e] ??= {})[name] = values[at[e]];
  }
  return out;
}

export function decodeChunk(data: Buffer): RawColumns {
  // Copy into an aligned buffer: SQLite blobs come back at arbitrary offsets and typed arrays need alignment.
  const aligned = Buffer.alloc(data.length);
  data.copy(aligned);
  return view(aligned, aligned.length / BYTES_PER_EVENT);
}

/** An event_chunks row as read back, with the names of its operation and source. */
export interface StoredChunk {
  id: number;
  hour: number;
  tsMin: number;
  tsMax: number;
  n: number;
  op: string;
  source: string;
  data: Buffer;
  failures: string | null;
  dims: string | null;
}

export const CHUNK_DAMAGE_HINT =
  "each hour's rollups are stored apart from its raw events and are intact. `oplens status --check` lists every damaged chunk; " +
  'restore the database from a backup, or delete those chunks (sqlite3 DB "DELETE FROM event_chunks WHERE id IN (…)"): their hours ' +
  'then answer from the rollups, without raw events (no exact percentiles or examples there)';

/**
 * Decodes a stored chunk and checks it against its own row: SQLite checks pages, not what a blob holds, so flipped
 * bytes inside one, or a blob cut short, would otherwise surface as a RangeError or as made-up numbers. Throws a
 * DamagedStoreError that names the chunk, its operation, source and hour.
 */
export function decodeStoredChunk(row: StoredChunk): { columns: RawColumns; failures: RawFailure[]; dims: ChunkDims | null } {
  const fail = (what: string) => {
    const hour = new Date(row.hour).toISOString().slice(0, 13);
    return new DamagedStoreError(
      `raw events of operation "${row.op}" from "${row.source}" in the hour ${hour}:00Z (chunk ${row.id}, ${row.n} events) are damaged: ${what}`,
      CHUNK_DAMAGE_HINT,
    );
  };
  if (row.data.length !== row.n * BYTES_PER_EVENT) throw fail(`it holds ${row.data.length} bytes where ${row.n} events take ${row.n * BYTES_PER_EVENT}`);
  const columns = decodeChunk(row.data);
  for (let i = 0; i < row.n; i++) {
    const ts = columns.ts[i];
    if (!(ts >= row.tsMin && ts <= row.tsMax)) throw fail(`event ${i} has the time ${ts}, outside the chunk's ${row.tsMin}..${row.tsMax}`);
    const d = columns.duration[i];
    if (d < 0 || d === Infinity) throw fail(`event ${i} has the duration ${d}`);
    if (columns.flags[i] > (FLAG_OK | FLAG_TIMEOUT)) throw fail(`event ${i} has unknown flags ${columns.flags[i]}`);
  }
  const failures = parseJson<RawFailure[]>(row.failures, []);
  if (!Array.isArray(failures) || failures.some((f) => !Number.isInteger(f?.i) || f.i < 0 || f.i >= row.n)) throw fail('its list of failures is not readable');
  const dims = parseJson<ChunkDims | null>(row.dims, null);
  if (dims === undefined || (dims !== null && !(Array.isArray(dims.k) && Array.isArray(dims.v) && Array.isArray(dims.i) && dims.i.every((at) => Array.isArray(at) && at.length === row.n)))) {
    throw fail('its dimension values are not readable');
  }
  return { columns, failures, dims };
}

/** JSON text, `empty` for null, undefined when it does not parse. */
function parseJson<T>(text: string | null, empty: T): T | undefined {
  if (text === null) return empty;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

function view(buf: Buffer, n: number): RawColumns {
  const b = buf.buffer;
  let o = buf.byteOffset;
  const f64 = () => {
    const a = new Float64Array(b, o, n);
    o += 8 * n;
    return a;
  };
  const f32 = () => {
    const a = new Float32Array(b, o, n);
    o += 4 * n;
    return a;
  };
  const ts = f64();
  const duration = f64();
  const concurrency = f32();
  const memoryMb = f32();
  const cpuPercent = f32();
  const retries = f32();
  const flags = new Uint8Array(b, o, n);
  return { n, ts, duration, flags, concurrency, memoryMb, cpuPercent, retries };
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : NaN;
}

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
