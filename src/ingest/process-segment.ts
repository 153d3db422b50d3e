import { HOUR_MS, rollupBatch, type Rollup, type SourcedEvent } from '../aggregate/rollup-batch.js';
import { encodeChunk } from '../store/event-chunks.js';
import { DecodeFailure, decodeLine } from './decode-line.js';
import { isBad, type FormatAdapter } from './formats/format-adapter.js';

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
}

export interface SegmentQuarantine {
  /** Line index within the segment (0-based); the caller knows the segment's first line number. */
  lineIndex: number;
  offset: number;
  reason: string;
  snippet: string;
}

/** Everything the store needs from a run of lines: already aggregated, so writing it is a few rows. */
export interface SegmentResult {
  lines: number;
  events: number;
  ignored: number;
  quarantine: SegmentQuarantine[];
  rollup: Rollup;
  chunks: EncodedChunk[];
}

export interface SegmentContext {
  adapter: FormatAdapter;
  /** Source for events whose line names none. */
  source: string;
  maxLineBytes: number;
}

const NL = 0x0a;
const SNIPPET = 300;

/**
 * Decode, normalise and aggregate a run of complete lines: the CPU-heavy part of ingest, a pure function of its
 * input so it can run in this thread or in a worker with the same result.
 */
export function processSegment(buf: Buffer, start: number, ctx: SegmentContext): SegmentResult {
  const events: SourcedEvent[] = [];
  const quarantine: SegmentQuarantine[] = [];
  let ignored = 0;
  let lines = 0;
  let i = 0;
  while (i < buf.length) {
    let nl = buf.indexOf(NL, i);
    if (nl === -1) nl = buf.length; // an unterminated tail of a closed stream
    const lineIndex = lines++;
    if (nl - i > ctx.maxLineBytes) {
      quarantine.push({ lineIndex, offset: start + i, reason: `line longer than ${ctx.maxLineBytes} bytes`, snippet: buf.toString('utf8', i, i + SNIPPET) });
      i = nl + 1;
      continue;
    }
    const text = buf.toString('utf8', i, nl);
    const rec = decodeLine(text);
    if (rec === null) {
      i = nl + 1;
      continue;
    }
    if (rec instanceof DecodeFailure) {
      quarantine.push({ lineIndex, offset: start + i, reason: rec.reason, snippet: text.slice(0, SNIPPET) });
    } else {
      const out = ctx.adapter.toEvents(rec);
      if (isBad(out)) {
        quarantine.push({ lineIndex, offset: start + i, reason: out.bad, snippet: text.slice(0, SNIPPET) });
      } else if (out.length === 0) {
        ignored++;
      } else {
        for (const e of out) {
          if (e.source === undefined) e.source = ctx.source;
          events.push(e as SourcedEvent);
        }
      }
    }
    i = nl + 1;
  }
  return { lines, events: events.length, ignored, quarantine, rollup: rollupBatch(events), chunks: encodeChunks(events) };
}

function encodeChunks(events: SourcedEvent[]): EncodedChunk[] {
  const groups = new Map<string, SourcedEvent[]>();
  for (const e of events) {
    const key = `${e.ts - (e.ts % HOUR_MS)}\u0000${e.op}\u0000${e.source}`;
    const g = groups.get(key);
    if (g) g.push(e);
    else groups.set(key, [e]);
  }
  const out: EncodedChunk[] = [];
  for (const g of groups.values()) {
    let tsMin = Infinity;
    let tsMax = -Infinity;
    for (const e of g) {
      if (e.ts < tsMin) tsMin = e.ts;
      if (e.ts > tsMax) tsMax = e.ts;
    }
    const { data, failures } = encodeChunk(g);
    out.push({ hour: g[0].ts - (g[0].ts % HOUR_MS), op: g[0].op, source: g[0].source, tsMin, tsMax, n: g.length, data, failures });
  }
  return out;
}
