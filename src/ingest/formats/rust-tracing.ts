import type { Attrs } from '../../core/op-event.js';
import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { httpErrorCode, readStatus } from '../normalize/http-status.js';
import { httpOperation } from '../normalize/normalize-route.js';
import { parseDuration } from '../normalize/parse-duration.js';
import { asNumber, asObject, asText } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';

/**
 * Rust `tracing` JSON (tracing-subscriber's json formatter), as the CODEX barcode backend writes it: `fields`
 * holds the event's key-values (`message`, `duration_ms`, `request_id`, `barcode_type`, `error`, `code`), `target`
 * the module, `span` the innermost span. A span-close event (FmtSpan::CLOSE) carries `time.busy` and `time.idle`.
 */
export const rustTracingAdapter: FormatAdapter = {
  name: 'rust-tracing',
  description: 'Rust tracing JSON (CODEX barcode backend): timestamp, level, target, fields{message,duration_ms,error,code}',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'tracing "fields" object with "target" and "level"',
      envelope: (r) => asObject(r.fields) !== undefined && typeof r.target === 'string' && typeof r.level === 'string',
      operation: (r) => durationOf(asObject(r.fields) ?? {}) !== undefined,
      certainty: 0.9,
    }),
  toEvents(rec) {
    const fields = asObject(rec.fields) ?? {};
    const duration = durationOf(fields);
    if (duration === undefined) return [];
    const code = asText(fields.code);
    const status = readStatus(fields.status ?? fields.status_code ?? (code && /^\d{3}$/.test(code) ? code : undefined));
    const failed =
      /^error$/i.test(String(rec.level)) || fields.error !== undefined || fields.success === false || (status !== undefined && status >= 400);
    const ev = buildEvent({
      ts: rec.timestamp,
      op: opOf(rec, fields),
      duration,
      durationUnit: 'ms',
      ok: !failed,
      status,
      code: code ?? httpErrorCode(status),
      message: fields.error ?? (failed ? fields.message : undefined),
      attrs: attrsOf(fields, status),
    });
    return 'bad' in ev ? ev : [ev];
  },
};

/** Milliseconds from `duration_ms`, or busy + idle time of a closed span; undefined when the event has neither. */
function durationOf(fields: JsonRecord): number | string | undefined {
  if (fields.duration_ms !== undefined) return fields.duration_ms as number | string;
  if (fields['time.busy'] === undefined) return undefined;
  const busy = parseDuration(fields['time.busy'], 'ms');
  const idle = fields['time.idle'] === undefined ? 0 : parseDuration(fields['time.idle'], 'ms');
  // An unreadable part is passed on as text so buildEvent quarantines the line with its reason.
  if (typeof busy !== 'number') return String(fields['time.busy']);
  if (typeof idle !== 'number') return String(fields['time.idle']);
  return busy + idle;
}

/** An explicit operation, else the request, else the span (an instrumented function), else the module. */
function opOf(rec: JsonRecord, fields: JsonRecord): unknown {
  const span = asObject(rec.span);
  return (
    fields.operation ?? fields.op ?? httpOperation(fields.method, fields.path ?? fields.uri ?? fields.route) ??
    span?.name ?? rec.target
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
