import type { Attrs, OpEvent } from '../../core/op-event.js';
import { capName } from '../../core/op-name.js';
import type { BadRecord } from '../formats/format-adapter.js';
import { classifyError, type ErrorFacts } from './classify-error.js';
import { parseDuration, type DurationUnit } from './parse-duration.js';
import { parseTimestamp } from './parse-timestamp.js';

/** Error messages are capped before storage; the full text stays in the log. */
export const MAX_MESSAGE = 1000;

/** What an adapter read from a record, before validation and classification. */
export interface RawFields {
  ts: unknown;
  op: unknown;
  duration?: unknown;
  durationUnit?: DurationUnit;
  ok: boolean;
  timedOut?: boolean;
  category?: unknown;
  code?: unknown;
  message?: unknown;
  status?: number;
  exitCode?: number;
  signal?: string;
  source?: unknown;
  attrs?: Attrs;
}

/**
 * The one place where fields become an OpEvent: timestamp and duration are validated, failures get a category
 * (given or classified), text is capped. Every adapter ends here, so the rules are the same for all formats.
 */
export function buildEvent(f: RawFields): OpEvent | BadRecord {
  const ts = parseTimestamp(f.ts);
  if (ts === null) {
    return { bad: f.ts === undefined || f.ts === null ? 'no timestamp' : 'timestamp is not readable' };
  }
  let durationMs: number | null = null;
  if (f.duration !== undefined && f.duration !== null) {
    const d = parseDuration(f.duration, f.durationUnit);
    if (typeof d !== 'number') return d;
    durationMs = d;
  }
  const opText = typeof f.op === 'string' ? f.op : f.op === undefined || f.op === null ? '' : String(f.op);
  const op = capName(opText) || '(unnamed)';
  const ev: OpEvent = { ts, op, durationMs, ok: f.ok };
  const source = typeof f.source === 'string' && f.source !== '' ? capName(f.source) : undefined;
  if (source) ev.source = source;
  if (f.attrs) ev.attrs = f.attrs;
  if (!f.ok) {
    const message = textOf(f.message, MAX_MESSAGE);
    const code = textOf(f.code, 100);
    if (message) ev.errorMessage = message;
    if (code) ev.errorCode = code;
    // A category the log gave is kept as written, so counts and labels agree with the team's own
    // `jq '.error.category' | sort | uniq -c`; rules read its class (categoryClass). Classified only when absent.
    const given = textOf(f.category, 64)?.trim();
    const facts: ErrorFacts = { code, message, status: f.status, exitCode: f.exitCode, signal: f.signal, timedOut: f.timedOut };
    ev.errorCategory = given ? given : classifyError(facts);
    if (f.timedOut && ev.errorCategory !== 'timeout' && !given) ev.errorCategory = 'timeout';
  }
  return ev;
}

function textOf(v: unknown, max: number): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.length > max ? s.slice(0, max) + '…' : s;
}
