import type { Readable } from 'node:stream';

/** One complete line of a file, with where it sits (byte offsets are of the decompressed content). */
export interface Line {
  text: string;
  lineNo: number;
  start: number;
  /** Offset just past the line's newline: where the next read resumes. */
  end: number;
}

/** A line longer than the limit: skipped without being buffered whole, only its start is kept as evidence. */
export interface OversizeLine extends Omit<Line, 'text'> {
  oversize: true;
  snippet: string;
}

export type LineItem = Line | OversizeLine;

export interface ReadLinesOptions {
  /** Offset and line number of the stream's first byte. */
  startOffset: number;
  startLine: number;
  maxLineBytes: number;
  /** Treat a last line without a newline as complete (stdin and gzip end for good; a plain file may still grow). */
  consumeUnterminatedTail: boolean;
}

const NL = 0x0a;
const SNIPPET_BYTES = 200;

/**
 * Splits a byte stream into lines, yielding one array per chunk so the per-line cost stays a few native calls.
 * Memory is bounded by the chunk size plus maxLineBytes whatever the file size or line length.
 */
export async function* readLines(stream: Readable, o: ReadLinesOptions): AsyncGenerator<LineItem[]> {
  let carry: Buffer | null = null; // start of an unfinished line
  let carryStart = o.startOffset;
  let skipping: OversizeLine | null = null; // inside an oversize line, waiting for its newline
  let offset = o.startOffset; // offset of the current chunk's first byte
  let lineNo = o.startLine;

  for await (const raw of stream) {
    const chunk: Buffer = typeof raw === 'string' ? Buffer.from(raw) : raw;
    const out: LineItem[] = [];
    let pos = 0;
    if (skipping) {
      const nl = chunk.indexOf(NL);
      if (nl === -1) {
        offset += chunk.length;
        continue;
      }
      skipping.end = offset + nl + 1;
      out.push(skipping);
      skipping = null;
      pos = nl + 1;
      carryStart = offset + pos;
    }
    let buf = chunk;
    let base = offset; // file offset of buf[0]
    if (carry && pos === 0) {
      buf = Buffer.concat([carry, chunk]);
      base = carryStart;
      carry = null;
    }
    let i = pos;
    for (;;) {
      const nl = buf.indexOf(NL, i);
      if (nl === -1) break;
      lineNo++;
      if (nl - i > o.maxLineBytes) {
        out.push({ oversize: true, snippet: buf.toString('utf8', i, i + SNIPPET_BYTES), lineNo, start: base + i, end: base + nl + 1 });
      } else {
        out.push({ text: buf.toString('utf8', i, nl), lineNo, start: base + i, end: base + nl + 1 });
      }
      i = nl + 1;
    }
    if (i < buf.length) {
      if (buf.length - i > o.maxLineBytes) {
        lineNo++;
        skipping = { oversize: true, snippet: buf.toString('utf8', i, i + SNIPPET_BYTES), lineNo, start: base + i, end: -1 };
      } else {
        carry = buf.subarray(i);
        carryStart = base + i;
      }
    }
    offset += chunk.length;
    if (out.length) yield out;
  }
  if (o.consumeUnterminatedTail) {
    if (skipping) {
      skipping.end = offset;
      yield [skipping];
    } else if (carry && carry.length) {
      yield [{ text: carry.toString('utf8'), lineNo: lineNo + 1, start: carryStart, end: carryStart + carry.length }];
    }
  }
}
