import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { httpErrorCode, readStatus, statusAttrs } from '../normalize/http-status.js';
import { httpOperation } from '../normalize/normalize-route.js';
import { asObject } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';

/**
 * pino-http request logs: pino's envelope (`level` number, `time`, `msg`) around `req` (method, url),
 * `res.statusCode`, `responseTime` (ms) and, for failures, `err` (type, message, code). Other pino lines (startup,
 * application messages) are not requests.
 */
export const pinoHttpAdapter: FormatAdapter = {
  name: 'pino-http',
  description: 'pino-http request logs: time, req{method,url}, res.statusCode, responseTime (ms), err',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'pino\'s numeric "level" and "time"',
      envelope: (r) => typeof r.level === 'number' && r.time !== undefined && (r.msg !== undefined || r.pid !== undefined),
      operation: isRequest,
      certainty: 0.9,
    }),
  toEvents(rec) {
    if (!isRequest(rec)) return [];
    const req = asObject(rec.req) ?? {};
    const res = asObject(rec.res) ?? {};
    const err = asObject(rec.err);
    const status = readStatus(res.statusCode);
    const ok = !err && (status === undefined || status < 400);
    const ev = buildEvent({
      ts: rec.time,
      // A route template (from a custom serializer) beats the raw url, whose ids normalizeRoute has to guess.
      op: httpOperation(req.method, req.route ?? req.routePath ?? req.url),
      duration: rec.responseTime,
      durationUnit: 'ms',
      ok,
      status,
      code: err?.code ?? httpErrorCode(status),
      message: err?.message,
      source: typeof rec.name === 'string' ? rec.name : undefined,
      attrs: statusAttrs(status),
    });
    return 'bad' in ev ? ev : [ev];
  },
};

/** A request on one line; Fastify's own request lines (with a top-level `reqId`) are parts of a request instead. */
function isRequest(r: JsonRecord): boolean {
  return asObject(r.req)?.method !== undefined && (asObject(r.res) !== undefined || r.responseTime !== undefined) && r.reqId === undefined;
}
