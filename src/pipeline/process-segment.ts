import { groupByHour, type HourGroup, rollupGroups } from '../aggregate/rollup.js';
import type { Rollup } from '../aggregate/rollup-rows.js';
import type { SourcedEvent } from '../core/op-event.js';
import { encodeChunk, type EncodedChunk } from '../store/event-chunks.js';
import { DecodeFailure, decodeLine } from '../ingest/decode-line.js';
import { isBad, type FormatAdapter } from '../ingest/formats/format-adapter.js';

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
  const handle = (text: string, offset: number) => {
    const lineIndex = lines++;
    const rec = decodeLine(text);
    if (rec === null) return;
    let reason: string | undefined;
    if (rec instanceof DecodeFailure) reason = rec.reason;
    else {
      const out = ctx.adapter.toEvents(rec);
      if (isBad(out)) reason = out.bad;
      else if (out.length === 0) ignored++;
      else {
        for (const e of out) {
          if (e.source === undefined) e.source = ctx.source;
          events.push(e as SourcedEvent);
        }
      }
    }
    if (reason !== undefined) quarantine.push({ lineIndex, offset, reason, snippet: text.slice(0, SNIPPET) });
  };
  const tooLong = (offset: number, snippet: string) => {
    quarantine.push({ lineIndex: lines++, offset, reason: `line longer than ${ctx.maxLineBytes} bytes`, snippet });
  };
  let i = 0;
  while (i < buf.length) {
    let nl = buf.indexOf(NL, i);
    if (nl === -1) nl = buf.length; // an unterminated tail of a closed stream
    if (nl - i > ctx.maxLineBytes) tooLong(start + i, buf.toString('utf8', i, i + SNIPPET));
    else handle(buf.toString('utf8', i, nl), start + i);
    i = nl + 1;
  }
  const groups = groupByHour(events);
  return { lines, events: events.length, ignored, quarantine, rollup: rollupGroups(groups), chunks: groups.map(encodeGroup) };
}

function encodeGroup(g: HourGroup): EncodedChunk {
  let tsMin = Infinity;
  let tsMax = -Infinity;
  for (const e of g.events) {
    if (e.ts < tsMin) tsMin = e.ts;
    if (e.ts > tsMax) tsMax = e.ts;
  }
  const { data, failures } = encodeChunk(g.events);
  return { hour: g.hour, op: g.op, source: g.source, tsMin, tsMax, n: g.events.length, data, failures };
}
