import { FLAG_OK, FLAG_TIMEOUT, type RawChunk } from '../event-chunks.js';

/** Bytes are handed to the client in blocks of about this size. */
const BLOCK = 1 << 20;
/** The most one event's fixed-size fields take: ts, duration, ok, timeout and four nullable gauges. */
const FIXED = 8 + 9 + 1 + 1 + 4 * 9;

/**
 * The `events` rows of raw chunks in ClickHouse's RowBinary format, written straight from the chunks' typed columns:
 * numbers go in as the bytes of the stored doubles (nothing is formatted or parsed, so the server stores exactly the
 * local store's values), and what repeats within a chunk (its operation, stream, failures, dimension names and
 * values) is encoded once. Columns as in schema.ts: op, ts, duration, ok, timeout, concurrency, memory_mb,
 * cpu_percent, retries, error_category, error_code, error_message, stream, dim_keys, dim_values; every row ends in
 * `suffix` (the encoded source, batch and attempt). Shipping is bound by this loop: it keeps its position in locals.
 */
export function* eventsRowBinary(chunks: Iterable<RawChunk>, suffix: Uint8Array): Generator<Uint8Array> {
  const strings = new StringCache();
  let buf = new Uint8Array(BLOCK);
  let view = new DataView(buf.buffer);
  let pos = 0;
  const room = (n: number): Uint8Array | null => {
    if (pos + n <= buf.length) return null;
    const full = buf.subarray(0, pos);
    buf = new Uint8Array(Math.max(BLOCK, n));
    view = new DataView(buf.buffer);
    pos = 0;
    return full;
  };
  const put = (b: Uint8Array) => {
    if (b.length < 16) for (let k = 0; k < b.length; k++) buf[pos + k] = b[k];
    else buf.set(b, pos);
    pos += b.length;
  };
  const float = (v: number) => {
    if (v !== v) buf[pos++] = 1; // NaN: the line did not carry it
    else {
      buf[pos] = 0;
      view.setFloat64(pos + 1, v, true);
      pos += 9;
    }
  };
  for (const chunk of chunks) {
    const c = chunk.columns;
    const op = strings.get(chunk.op);
    const stream = strings.get(chunk.source);
    // Error category, code and message (three Nullable(String)) and the stream, per failure; then the dimensions.
    const failures = new Map(chunk.failures.map((f) => [f.i, concat([strings.nullable(f.category), strings.nullable(f.code), strings.nullable(f.message), stream])]));
    const dims = chunk.dims;
    const names = dims ? dims.k.map((k) => strings.get(k)) : [];
    const values = dims ? dims.v.map((vs) => vs.map((v) => strings.get(v))) : [];
    const sizes = Array.from({ length: names.length + 1 }, (_, n) => varUInt(n));
    const allNames = concat([sizes[names.length], ...names]);
    // A row without failure or dimensions ends in the same bytes throughout the chunk.
    const plainTail = concat([Uint8Array.of(1, 1, 1), stream, ...(dims ? [] : [Uint8Array.of(0, 0), suffix])]);
    const noDimsTail = concat([Uint8Array.of(0, 0), suffix]);
    for (let i = 0; i < c.n; i++) {
      const failure = failures.size ? failures.get(i) : undefined;
      const full = room(op.length + FIXED + (failure ?? plainTail).length + noDimsTail.length + dimsSize(dims, values, i, names));
      if (full) yield full;
      put(op);
      const ts = c.ts[i];
      const hi = Math.floor(ts / 4294967296);
      view.setUint32(pos, ts - hi * 4294967296, true);
      view.setInt32(pos + 4, hi, true);
      pos += 8;
      float(c.duration[i]);
      const flags = c.flags[i];
      buf[pos++] = flags & FLAG_OK ? 1 : 0;
      buf[pos++] = flags & FLAG_TIMEOUT ? 1 : 0;
      float(c.concurrency[i]);
      float(c.memoryMb[i]);
      float(c.cpuPercent[i]);
      float(c.retries[i]);
      if (failure) put(failure);
      else put(plainTail);
      if (!dims) {
        if (failure) put(noDimsTail);
        continue;
      }
      let present = 0;
      for (let j = 0; j < names.length; j++) if (dims.i[j][i] >= 0) present++;
      if (present === names.length) put(allNames);
      else {
        put(sizes[present]);
        for (let j = 0; j < names.length; j++) if (dims.i[j][i] >= 0) put(names[j]);
      }
      put(sizes[present]);
      for (let j = 0; j < names.length; j++) {
        const at = dims.i[j][i];
        if (at >= 0) put(values[j][at]);
      }
      put(suffix);
    }
  }
  if (pos) yield buf.subarray(0, pos);
}

/** The most bytes an event's dimensions take (names and values, with their counts). */
function dimsSize(dims: RawChunk['dims'], values: Uint8Array[][], i: number, names: Uint8Array[]): number {
  if (!dims) return 0;
  let n = 20;
  for (let j = 0; j < names.length; j++) {
    const at = dims.i[j][i];
    if (at >= 0) n += names[j].length + values[j][at].length;
  }
  return n;
}

/** The trailing source String, batch UInt64 and attempt UInt64 of every shipped row. */
export function rowSuffix(source: string, batch: number, attempt: number): Uint8Array {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(batch), true);
  view.setBigUint64(8, BigInt(attempt), true);
  return concat([new StringCache().get(source), out]);
}

const utf8 = new TextEncoder();

/** Strings as RowBinary String (UTF-8 length as a variable-length integer, then the bytes), each encoded once. */
class StringCache {
  private readonly seen = new Map<string, Uint8Array>();
  private readonly nulls = new Map<string, Uint8Array>();

  get(s: string): Uint8Array {
    let b = this.seen.get(s);
    if (!b) {
      const bytes = utf8.encode(s);
      this.seen.set(s, (b = concat([varUInt(bytes.length), bytes])));
    }
    return b;
  }

  /** Nullable(String): a null flag, then the string unless it is undefined. */
  nullable(s: string | undefined): Uint8Array {
    if (s === undefined) return NULL;
    let b = this.nulls.get(s);
    if (!b) this.nulls.set(s, (b = concat([NOT_NULL, this.get(s)])));
    return b;
  }
}

const NULL = Uint8Array.of(1);
const NOT_NULL = Uint8Array.of(0);

/** LEB128, as RowBinary writes lengths and array sizes. */
function varUInt(n: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n) b |= 128;
    out.push(b);
  } while (n);
  return Uint8Array.from(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
