import type { OpEvent } from '../../core/op-event.js';
import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { httpErrorCode, readStatus, statusAttrs } from '../normalize/http-status.js';
import { asObject, asText } from '../normalize/read-fields.js';
import type { BadRecord, FormatAdapter, JsonRecord } from './format-adapter.js';

const ERROR = 2; // Status.StatusCode STATUS_CODE_ERROR

/**
 * OpenTelemetry collector file exporter (OTLP/JSON, one export request per line): every span of
 * `resourceSpans[].scopeSpans[].spans[]` is an event. Times are nanosecond strings, `status.code` 2 is an error,
 * the resource's `service.name` is the source. Log and metric lines of the same exporter are not operations.
 */
export const otelAdapter: FormatAdapter = {
  name: 'otel',
  description: 'OpenTelemetry file exporter traces: resourceSpans[].scopeSpans[].spans[] (ns times, status.code 2 = error)',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'an OTLP "resourceSpans", "resourceLogs" or "resourceMetrics" array',
      envelope: (r) => Array.isArray(r.resourceSpans) || Array.isArray(r.resourceLogs) || Array.isArray(r.resourceMetrics),
      operation: (r) => Array.isArray(r.resourceSpans),
      certainty: 0.98,
    }),
  toEvents(rec) {
    if (!Array.isArray(rec.resourceSpans)) return [];
    const out: OpEvent[] = [];
    for (const rs of rec.resourceSpans) {
      const resource = asObject(asObject(rs)?.resource);
      const service = attribute(resource?.attributes, 'service.name');
      // scopeSpans since OTLP 0.15; instrumentationLibrarySpans before it.
      const scopes = asObject(rs)?.scopeSpans ?? asObject(rs)?.instrumentationLibrarySpans;
      for (const scope of Array.isArray(scopes) ? scopes : []) {
        const spans = asObject(scope)?.spans;
        for (const span of Array.isArray(spans) ? spans : []) {
          const ev = spanEvent(asObject(span) ?? {}, service);
          if ('bad' in ev) return { bad: `span: ${ev.bad}` };
          out.push(ev);
        }
      }
    }
    return out;
  },
};

function spanEvent(span: JsonRecord, service: unknown): OpEvent | BadRecord {
  const status = asObject(span.status) ?? {};
  const failed = status.code === ERROR || status.code === 'STATUS_CODE_ERROR';
  const http = readStatus(attribute(span.attributes, 'http.response.status_code') ?? attribute(span.attributes, 'http.status_code'));
  const exception = exceptionOf(span.events);
  const duration = elapsedNanos(span.startTimeUnixNano, span.endTimeUnixNano);
  if (duration === null) return { bad: 'start or end time is not a nanosecond count' };
  return buildEvent({
    ts: span.startTimeUnixNano,
    op: span.name,
    duration,
    durationUnit: 'ns',
    ok: !failed,
    status: http,
    code: attribute(span.attributes, 'error.type') ?? exception?.type ?? httpErrorCode(http),
    message: (status.message !== '' ? status.message : undefined) ?? exception?.message,
    source: service,
    attrs: statusAttrs(http),
  });
}

/**
 * End minus start in ns (BigInt keeps the nanoseconds a double loses at epoch magnitudes); undefined without an
 * end, null when either is not a whole number.
 */
function elapsedNanos(start: unknown, end: unknown): number | undefined | null {
  if (start === undefined || end === undefined) return undefined;
  const s = asText(start);
  const e = asText(end);
  if (!s || !e || !/^\d+$/.test(s) || !/^\d+$/.test(e)) return null;
  return Number(BigInt(e) - BigInt(s));
}

/** A value from an OTLP attribute list (`[{key, value: {stringValue|intValue|...}}]`). */
function attribute(list: unknown, key: string): unknown {
  if (!Array.isArray(list)) return undefined;
  for (const kv of list) {
    const o = asObject(kv);
    if (o?.key !== key) continue;
    const v = asObject(o.value) ?? {};
    return v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue;
  }
  return undefined;
}

/** The first recorded exception event (semantic conventions: name "exception", exception.type / .message). */
function exceptionOf(events: unknown): { type: unknown; message: unknown } | undefined {
  if (!Array.isArray(events)) return undefined;
  for (const e of events) {
    const o = asObject(e);
    if (o?.name === 'exception') {
      return { type: attribute(o.attributes, 'exception.type'), message: attribute(o.attributes, 'exception.message') };
    }
  }
  return undefined;
}
