import type { Readable } from 'node:stream';
import type { HashState, StreamHasher } from '../core/stream-hash.js';

/** A run of complete lines (each ending in a newline, except a final tail at the end of a closed stream). */
export interface Segment {
  buf: Buffer;
  /** Stream offset of buf[0]; lines are found by the consumer. */
  start: number;
  end: number;
  /** The stream's content hash at `end`, when the stream is hashed (files; not stdin). */
  hash?: HashState;
  /** A last line without a newline, taken as complete. */
  open?: boolean;
}

/** A line longer than the limit: skipped without being buffered whole, only its start is kept as evidence. */
export interface OversizeLine {
  oversize: true;
  snippet: string;
  start: number;
  end: number;
  hash?: HashState;
}

export type SegmentItem = Segment | OversizeLine;

export interface ReadSegmentsOptions {
  /** Offset of the stream's first byte. */
  startOffset: number;
  maxLineBytes: number;
  /**
   * Whether a last line without a newline is complete: always for stdin and gzip (they end for good), for a plain
   * file only when it is not being written (the caller judges from the tail and the file).
   */
  consumeUnterminatedTail: boolean | ((tail: Buffer) => boolean);
  /** Hashes every byte in stream order; each item carries the hash at its end. */
  hasher?: StreamHasher;
  /** Bytes of a last line left unread because it has no newline yet. */
  onHeldBack?: (bytes: number) => void;
}

const NL = 0x0a;
/** A quarantined line keeps at most this many characters of its start (bytes, of a line too long to decode). */
export const SNIPPET_MAX = 200;

/**
 * Cuts a byte stream at its last newline per chunk, so segments hold whole lines and can be parsed anywhere
 * (this thread or a worker). Memory is bounded by the chunk size plus maxLineBytes whatever the line length:
 * an over-long line is skipped up to its newline and reported as one OversizeLine.
 */
export async function* readSegments(stream: Readable, o: ReadSegmentsOptions): AsyncGenerator<SegmentItem> {
  let carry: Buffer | null = null; // start of an unfinished line
  let carryStart = o.startOffset;
  let skipping: OversizeLine | null = null;
  let offset = o.startOffset; // offset of the next chunk's first byte
  const h = o.hasher;
  const hashed = <T extends SegmentItem>(item: T, bytes?: Buffer): T => {
    if (!h) return item;
    if (bytes) h.update(bytes, 'buf' in item);
    item.hash = h.take();
    return item;
  };

  for await (const raw of stream) {
    const chunk: Buffer = typeof raw === 'string' ? Buffer.from(raw) : raw;
    const chunkStart = offset;
    offset += chunk.length;
    let pos = 0;
    if (skipping) {
      const nl = chunk.indexOf(NL);
      if (nl === -1) {
        h?.update(chunk);
        continue;
      }
      skipping.end = chunkStart + nl + 1;
      yield hashed(skipping, chunk.subarray(0, nl + 1));
      skipping = null;
      pos = nl + 1;
      carry = null;
      carryStart = chunkStart + pos;
    }
    const rest = pos === 0 ? chunk : chunk.subarray(pos);
    const buf: Buffer = carry ? Buffer.concat([carry, rest]) : rest;
    const base = carry ? carryStart : chunkStart + pos;
    carry = null;
    const last = buf.lastIndexOf(NL);
    if (last === -1) {
      if (buf.length > o.maxLineBytes) {
        skipping = { oversize: true, snippet: buf.toString('utf8', 0, SNIPPET_MAX), start: base, end: -1 };
        h?.update(buf);
      } else {
        carry = buf;
        carryStart = base;
      }
      continue;
    }
    const lines = buf.subarray(0, last + 1);
    yield hashed({ buf: lines, start: base, end: base + last + 1 }, lines);
    if (last + 1 < buf.length) {
      const tail = buf.subarray(last + 1);
      if (tail.length > o.maxLineBytes) {
        skipping = { oversize: true, snippet: tail.toString('utf8', 0, SNIPPET_MAX), start: base + last + 1, end: -1 };
        h?.update(tail);
      } else {
        // Copy: the tail must not pin the whole chunk in memory while it waits for its newline.
        carry = Buffer.from(tail);
        carryStart = base + last + 1;
      }
    }
  }
  const tail = skipping ? null : carry;
  const take = typeof o.consumeUnterminatedTail === 'function' ? o.consumeUnterminatedTail(tail ?? Buffer.alloc(0)) : o.consumeUnterminatedTail;
  if (!take) {
    if (skipping || tail?.length) o.onHeldBack?.(skipping ? offset - skipping.start : tail!.length);
    return;
  }
  if (skipping) {
    skipping.end = offset;
    yield hashed(skipping);
  } else if (tail && tail.length) {
    yield hashed({ buf: tail, start: carryStart, end: carryStart + tail.length, open: true }, tail);
  }
}
