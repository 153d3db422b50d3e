import { groupByHour, type HourGroup, rollupGroups } from '../aggregate/rollup.js';
import type { Rollup } from '../aggregate/rollup-rows.js';
import type { SourcedEvent } from '../core/op-event.js';
import { encodeChunk, type EncodedChunk } from '../store/event-chunks.js';
import { readDimensions, type Dimension } from '../ingest/dimensions.js';
import { DecodeFailure, decodeLine, isRecord } from '../ingest/decode-line.js';
import { isBad, type FormatAdapter, type JsonRecord } from '../ingest/formats/format-adapter.js';
import type { LinePart } from '../ingest/join-requests.js';
import type { OpEvent } from '../core/op-event.js';
import { OTHER_NAMES, type FullNames, type NameKind } from '../store/batch-writer.js';
import { SNIPPET_MAX } from '../ingest/read-lines.js';

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
  /** Lines that are parts of multi-line requests (formats with a JoinSpec), in line order, for the join stage. */
  parts: LinePart[];
  /** How many distinct names were folded into OTHER_NAMES because the store is full (SegmentContext.fullNames). */
  folded: Record<NameKind, number>;
}

export interface SegmentContext {
  adapter: FormatAdapter;
  /** Source for events whose line names none. */
  source: string;
  maxLineBytes: number;
  /** Fields kept as dimensions, chosen once for the stream (dimensions.ts). */
  dimensions: readonly Dimension[];
  /** Names the store holds for each kind whose cap is reached: others are folded here, before aggregation. */
  fullNames?: FullNames;
}

const NL = 0x0a;

/**
 * Decode, normalise and aggregate a run of complete lines: the CPU-heavy part of ingest, a pure function of its
 * input so it can run in this thread or in a worker with the same result.
 */
export function processSegment(buf: Buffer, start: number, ctx: SegmentContext): SegmentResult {
  const events: SourcedEvent[] = [];
  const quarantine: SegmentQuarantine[] = [];
  let ignored = 0;
  let lines = 0;
  const parts: LinePart[] = [];
  const join = ctx.adapter.join;
  const fold = nameFolder(ctx.fullNames ?? {});
  /** The reason a record is bad, or undefined once it gave events, a join part or nothing. */
  const read = (rec: JsonRecord, lineIndex: number, offset: number): string | undefined => {
    const part = join?.part(rec);
    if (part !== undefined) {
      if ('bad' in part) return part.bad;
      const dims = ctx.dimensions.length ? readDimensions(rec, ctx.dimensions) : undefined;
      if (dims) part.dims = dims;
      parts.push({ lineIndex, offset, part });
      return undefined;
    }
    const out = ctx.adapter.toEvents(rec);
    if (isBad(out)) return out.bad;
    if (out.length === 0) ignored++;
    const dims = ctx.dimensions.length && out.length ? readDimensions(rec, ctx.dimensions) : undefined;
    for (const e of out) {
      if (e.source === undefined) e.source = ctx.source;
      if (dims) e.dims = dims;
      fold.event(e as SourcedEvent);
      events.push(e as SourcedEvent);
    }
    return undefined;
  };
  const handle = (text: string, offset: number) => {
    const lineIndex = lines++;
    const rec = decodeLine(text);
    if (rec === null) return;
    if (!Array.isArray(rec)) {
      const reason = rec instanceof DecodeFailure ? rec.reason : read(rec, lineIndex, offset);
      if (reason !== undefined) quarantine.push({ lineIndex, offset, reason, snippet: text.slice(0, SNIPPET_MAX) });
      return;
    }
    // Each element of a batch is a record: the good ones count, a bad one is quarantined on its own, named by its index.
    for (let k = 0; k < rec.length; k++) {
      const el = rec[k];
      const reason = isRecord(el) ? read(el, lineIndex, offset) : 'not an object';
      if (reason !== undefined) quarantine.push({ lineIndex, offset, reason, snippet: `element ${k} of ${rec.length}: ${JSON.stringify(el)}`.slice(0, SNIPPET_MAX) });
    }
  };
  const tooLong = (offset: number, snippet: string) => {
    quarantine.push({ lineIndex: lines++, offset, reason: `line longer than ${ctx.maxLineBytes} bytes`, snippet });
  };
  let i = 0;
  while (i < buf.length) {
    let nl = buf.indexOf(NL, i);
    if (nl === -1) nl = buf.length; // an unterminated tail of a closed stream
    if (nl - i > ctx.maxLineBytes) tooLong(start + i, buf.toString('utf8', i, i + SNIPPET_MAX));
    else handle(buf.toString('utf8', i, nl), start + i);
    i = nl + 1;
  }
  return { lines, events: events.length, ignored, quarantine, parts, folded: fold.folded(), ...aggregateEvents(events) };
}

/** Folds the names the store would fold (not held, kind full), counting the distinct ones. */
function nameFolder(full: FullNames) {
  const ops = full.op;
  const sources = full.source;
  const folded = { op: new Set<string>(), source: new Set<string>() };
  return {
    event(e: SourcedEvent): void {
      if (ops && e.op !== OTHER_NAMES.op && !ops.has(e.op)) {
        folded.op.add(e.op);
        e.op = OTHER_NAMES.op;
      }
      if (sources && e.source !== OTHER_NAMES.source && !sources.has(e.source)) {
        folded.source.add(e.source);
        e.source = OTHER_NAMES.source;
      }
    },
    folded: () => ({ op: folded.op.size, source: folded.source.size }),
  };
}

/** Rollups and raw chunks of a run of events: what a segment, or the join stage, hands to the store. */
export function aggregateEvents(events: SourcedEvent[] | OpEvent[]): { rollup: Rollup; chunks: EncodedChunk[] } {
  const groups = groupByHour(events as SourcedEvent[]);
  return { rollup: rollupGroups(groups), chunks: groups.map(encodeGroup) };
}

function encodeGroup(g: HourGroup): EncodedChunk {
  let tsMin = Infinity;
  let tsMax = -Infinity;
  for (const e of g.events) {
    if (e.ts < tsMin) tsMin = e.ts;
    if (e.ts > tsMax) tsMax = e.ts;
  }
  const { data, failures, dims } = encodeChunk(g.events);
  return { hour: g.hour, op: g.op, source: g.source, tsMin, tsMax, n: g.events.length, data, failures, dims };
}
