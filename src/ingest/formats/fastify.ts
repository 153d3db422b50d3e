import type { OpEvent } from '../../core/op-event.js';
import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { httpErrorCode, readStatus, statusAttrs } from '../normalize/http-status.js';
import { httpOperation } from '../normalize/normalize-route.js';
import { parseTimestamp } from '../normalize/parse-timestamp.js';
import { asNumber, asObject, asText } from '../normalize/read-fields.js';
import type { BadRecord, FormatAdapter, JoinedRequest, JoinPart, JsonRecord } from './format-adapter.js';

/**
 * Fastify's built-in request logging (pino): `incoming request` (req.method, req.url) and `request completed`
 * (res.statusCode, responseTime in ms) are two lines joined by `reqId`; a handler that throws adds a line with
 * `err` (at error level for 5xx, info for 4xx). Each request becomes one event: the start's time, method and URL,
 * the finish's status and duration, the error line's message.
 */
export const fastifyAdapter: FormatAdapter = {
  name: 'fastify',
  description: 'Fastify request logs: "incoming request" + "request completed" joined by reqId (responseTime ms), err lines',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'pino\'s numeric "level" and "time" with Fastify\'s "reqId"',
      envelope: (r) => typeof r.level === 'number' && r.time !== undefined && r.reqId !== undefined,
      operation: (r) => r.responseTime !== undefined || (asObject(r.req)?.method !== undefined && asObject(r.res) === undefined),
      certainty: 0.92,
    }),
  // The method sits in the start line, the status in the finish line: the joined event keeps both.
  dimensions: [{ name: 'method', path: 'req.method' }, { name: 'status', path: 'res.statusCode' }],
  // Every request is made of parts; lines without a reqId are the server's own messages.
  toEvents: () => [],
  join: {
    part(rec) {
      const key = asText(rec.reqId);
      if (key === undefined) return undefined;
      const ts = parseTimestamp(rec.time);
      if (ts === null) return { bad: rec.time === undefined ? 'no timestamp' : 'timestamp is not readable' };
      const req = asObject(rec.req);
      const res = asObject(rec.res);
      const err = asObject(rec.err);
      if (rec.responseTime !== undefined) {
        return part('finish', key, ts, { time: rec.time, status: res?.statusCode, responseTime: rec.responseTime, method: req?.method, url: req?.url });
      }
      if (err) return part('extra', key, ts, { status: res?.statusCode, type: err.type, code: err.code, message: err.message ?? rec.msg });
      if (req?.method !== undefined) return part('start', key, ts, { time: rec.time, method: req.method, url: req.url });
      return undefined; // the application's own line inside a request
    },
    complete: completeRequest,
  },
};

function part(role: JoinPart['role'], key: string, ts: number, data: JsonRecord): JoinPart {
  return { role, key, ts, data };
}

function completeRequest({ start, extras, finish }: JoinedRequest): OpEvent | BadRecord {
  const s = start?.data ?? {};
  const f = finish?.data ?? {};
  const err = extras.find((x) => x.data.message !== undefined)?.data;
  const status = readStatus(f.status ?? err?.status);
  const ok = finish !== undefined && (status === undefined || status < 400) && !err;
  const method = s.method ?? f.method;
  const url = s.url ?? f.url;
  const ev = buildEvent({
    // The request's time is its start; without the start line, the finish's time less its duration.
    ts: start ? s.time : (parseTimestamp(f.time) ?? NaN) - (asNumber(f.responseTime) ?? 0),
    op: url === undefined ? '(request whose start was not read)' : httpOperation(method, url),
    duration: f.responseTime,
    durationUnit: 'ms',
    ok,
    status,
    code: err?.code ?? httpErrorCode(status) ?? err?.type,
    message: err?.message,
    attrs: statusAttrs(status),
  });
  return ev;
}
