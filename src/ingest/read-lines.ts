import type { Readable } from 'node:stream';

/** A run of complete lines (each ending in a newline, except a final tail at the end of a closed stream). */
export interface Segment {
  buf: Buffer;
  /** Stream offset of buf[0]; lines are found by the consumer. */
  start: number;
  end: number;
}

/** A line longer than the limit: skipped without being buffered whole, only its start is kept as evidence. */
export interface OversizeLine {
  oversize: true;
  snippet: string;
  start: number;
  end: number;
}

export type SegmentItem = Segment | OversizeLine;

export interface ReadSegmentsOptions {
  /** Offset of the stream's first byte. */
  startOffset: number;
  maxLineBytes: number;
  /** Treat a last line without a newline as complete (stdin and gzip end for good; a plain file may still grow). */
  consumeUnterminatedTail: boolean;
}

const NL = 0x0a;
const SNIPPET_BYTES = 200;

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

  for await (const raw of stream) {
    const chunk: Buffer = typeof raw === 'string' ? Buffer.from(raw) : raw;
    const chunkStart = offset;
    offset += chunk.length;
    let pos = 0;
    if (skipping) {
      const nl = chunk.indexOf(NL);
      if (nl === -1) continue;
      skipping.end = chunkStart + nl + 1;
      yield skipping;
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
        skipping = { oversize: true, snippet: buf.toString('utf8', 0, SNIPPET_BYTES), start: base, end: -1 };
      } else {
        carry = buf;
        carryStart = base;
      }
      continue;
    }
    yield { buf: buf.subarray(0, last + 1), start: base, end: base + last + 1 };
    if (last + 1 < buf.length) {
      const tail = buf.subarray(last + 1);
      if (tail.length > o.maxLineBytes) {
        skipping = { oversize: true, snippet: tail.toString('utf8', 0, SNIPPET_BYTES), start: base + last + 1, end: -1 };
      } else {
        // Copy: the tail must not pin the whole chunk in memory while it waits for its newline.
        carry = Buffer.from(tail);
        carryStart = base + last + 1;
      }
    }
  }
  if (!o.consumeUnterminatedTail) return;
  if (skipping) {
    skipping.end = offset;
    yield skipping;
  } else if (carry && carry.length) {
    yield { buf: carry, start: carryStart, end: carryStart + carry.length };
  }
}
