import type { Attrs } from '../../core/op-event.js';
import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { httpErrorCode, readStatus } from '../normalize/http-status.js';
import { httpOperation } from '../normalize/normalize-route.js';
import { parseDuration } from '../normalize/parse-duration.js';
import { asNumber, asObject, asText } from '../normalize/read-fields.js';
import type { OpEvent } from '../../core/op-event.js';
import { preciseTimestamp } from '../normalize/parse-timestamp.js';
import type { BadRecord, FormatAdapter, JsonRecord } from './format-adapter.js';

/**
 * Rust `tracing` JSON (tracing-subscriber's json formatter): `fields` holds the event's key-values (or they sit at
 * the top level with `flatten_event(true)`), `span` the innermost span, `target` the module unless `with_target(false)`
 * left it out. Operations are events with `duration_ms` (the CODEX barcode backend), span-close events
 * (FmtSpan::CLOSE: `time.busy` + `time.idle`), and tower-http's response event (`latency`, `status`). A request span
 * (axum / tower-http TraceLayer: `method` + `uri` or `matched_path`; OpenTelemetry names `http.method` +
 * `http.route`) names the operation and gives the status it recorded.
 */
export const rustTracingAdapter: FormatAdapter = {
  name: 'rust-tracing',
  description: 'Rust tracing JSON: fields{message,duration_ms}, span close (time.busy + time.idle), tower-http response and failure events (latency, status); a request logged several times counts once; target optional',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'tracing "level" and "timestamp" with a "fields" object or a "span"',
      envelope: (r) => typeof r.level === 'string' && typeof r.timestamp === 'string' && (asObject(r.fields) !== undefined || asObject(r.span) !== undefined || typeof r.target === 'string'),
      operation: (r) => durationOf(fieldsOf(r), asObject(r.span)) !== undefined,
      certainty: 0.9,
    }),
  toEvents(rec) {
    const ev = eventOf(rec);
    return ev === undefined ? [] : 'bad' in ev ? ev : [ev];
  },
  join: {
    part(rec) {
      const span = asObject(rec.span);
      if (!span || requestOf(span) === undefined) return undefined;
      const fields = fieldsOf(rec);
      const role = fields['time.busy'] !== undefined ? 'close' : fields.latency === undefined ? undefined : isEcho(fields) ? 'echo' : 'whole';
      if (role === undefined) return undefined;
      const ts = preciseTimestamp(rec.timestamp);
      if (ts === null) return { bad: rec.timestamp === undefined ? 'no timestamp' : 'timestamp is not readable' };
      const status = statusOf(fields, span);
      return { role, key: requestOf(span)!, ts, data: rec, echo: role === 'whole' && status !== undefined && status >= 500 };
    },
    complete: ({ finish }) => eventOf(finish!.data) ?? { bad: 'no duration' },
  },
};

/** The event of one line, or undefined when the line carries no duration. */
function eventOf(rec: JsonRecord): OpEvent | BadRecord | undefined {
  const fields = fieldsOf(rec);
  const span = asObject(rec.span);
  const duration = durationOf(fields, span);
  if (duration === undefined) return undefined;
  const code = asText(fields.code);
  const status = statusOf(fields, span);
  const failed =
    /^error$/i.test(String(rec.level)) || fields.error !== undefined || fields.success === false || (status !== undefined && status >= 400);
  return buildEvent({
    ts: rec.timestamp,
    op: opOf(rec, fields, span),
    duration,
    durationUnit: 'ms',
    ok: !failed,
    status,
    code: code ?? httpErrorCode(status),
    message: fields.error ?? (failed ? fields.message : undefined),
    attrs: attrsOf(fields, status),
  });
}

/**
 * The status of the event or of its request span; tower-http's failure event names it only in its classification
 * (`Status code: 503 Service Unavailable`).
 */
function statusOf(fields: JsonRecord, span: JsonRecord | undefined): number | undefined {
  const code = asText(fields.code);
  const classified = typeof fields.classification === 'string' ? STATUS_CLASSIFICATION.exec(fields.classification)?.[1] : undefined;
  return readStatus(
    fields.status ?? fields.status_code ?? span?.status ?? span?.status_code ?? span?.['http.status_code'] ?? span?.['http.response.status_code'] ??
      classified ?? (code && /^\d{3}$/.test(code) ? code : undefined),
  );
}

const STATUS_CLASSIFICATION = /^Status code: (\d{3})\b/;

/** tower-http's failure event for a response it already logged (a 5xx): not for an error that had no response. */
function isEcho(fields: JsonRecord): boolean {
  return typeof fields.classification === 'string' && STATUS_CLASSIFICATION.test(fields.classification);
}

/** Span fields that name one request, whatever was recorded on the span later (status, latency). */
const REQUEST_KEYS = ['method', 'http.method', 'http.request.method', 'uri', 'url.path', 'url.full', 'path', 'matched_path', 'http.route', 'route', 'http.target'];
const ID_KEYS = ['request_id', 'http.request.id', 'x-request-id', 'requestId', 'req_id', 'trace_id', 'otel.trace_id', 'span_id'];

/**
 * The identity of a request span (tracing's JSON has no span ids): its name, method, path and request id. Alike
 * concurrent requests share it; the join stage counts their lines, so they are still each counted once.
 */
function requestOf(span: JsonRecord): string | undefined {
  const parts: unknown[] = [span.name];
  let request = false;
  for (const k of REQUEST_KEYS) {
    if (span[k] === undefined) continue;
    request = true;
    parts.push(k, span[k]);
  }
  if (!request) return undefined;
  for (const k of ID_KEYS) if (span[k] !== undefined) parts.push(k, span[k]);
  return JSON.stringify(parts);
}

/** The event's key-values: the `fields` object, or the record itself when the formatter flattened them. */
function fieldsOf(rec: JsonRecord): JsonRecord {
  return asObject(rec.fields) ?? rec;
}

/**
 * Milliseconds from `duration_ms`; busy + idle time of a closed span; tower-http's `latency` ("12 ms", "340 μs",
 * or a number of ms); undefined when the event has none of them. A latency the span recorded counts on its close.
 */
function durationOf(fields: JsonRecord, span: JsonRecord | undefined): number | string | undefined {
  if (fields.duration_ms !== undefined) return fields.duration_ms as number | string;
  if (fields.latency !== undefined) return latencyOf(fields.latency);
  if (fields['time.busy'] === undefined) return undefined;
  if (span?.latency !== undefined) return latencyOf(span.latency);
  const busy = parseDuration(fields['time.busy'], 'ms');
  const idle = fields['time.idle'] === undefined ? 0 : parseDuration(fields['time.idle'], 'ms');
  // An unreadable part is passed on as text so buildEvent quarantines the line with its reason.
  if (typeof busy !== 'number') return String(fields['time.busy']);
  if (typeof idle !== 'number') return String(fields['time.idle']);
  return busy + idle;
}

/** tower-http writes `<n> <unit>` (LatencyUnit: s, ms, μs, ns); a bare number is taken as ms. */
function latencyOf(v: unknown): number | string {
  if (typeof v === 'number') return v;
  const ms = parseDuration(String(v).replace(/\s+/g, ''), 'ms');
  return typeof ms === 'number' ? ms : String(v);
}

/** An explicit operation, else the request (from the event or its span), else the span, else the module. */
function opOf(rec: JsonRecord, fields: JsonRecord, span: JsonRecord | undefined): unknown {
  const s = span ?? {};
  return (
    fields.operation ?? fields.op ?? httpOperation(fields.method, fields.path ?? fields.uri ?? fields.route) ??
    httpOperation(s.method ?? s['http.method'] ?? s['http.request.method'], s.matched_path ?? s['http.route'] ?? s.route ?? s.uri ?? s.path ?? s['url.path']) ??
    s['otel.name'] ?? s.name ?? rec.target
  );
}

function attrsOf(fields: JsonRecord, status: number | undefined): Attrs | undefined {
  const attrs: Attrs = {};
  const barcode = asText(fields.barcode_type);
  if (barcode) attrs.barcodeType = barcode;
  if (status !== undefined) attrs.status = status;
  const concurrency = asNumber(fields.concurrency ?? fields.in_flight);
  if (concurrency !== undefined) attrs.concurrency = concurrency;
  return Object.keys(attrs).length ? attrs : undefined;
}
