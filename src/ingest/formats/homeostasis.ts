import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { categoryFromExceptionType } from '../normalize/exception-category.js';
import { httpOperation } from '../normalize/normalize-route.js';
import { httpErrorCode, readStatus, statusAttrs } from '../normalize/http-status.js';
import { asObject } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';

/**
 * Homeostasis monitoring logs: one object per request with `request_info` and `response_info`, often written
 * after a text prefix (`2025-01-01 12:00:00 - ERROR - {...}`), which decodeLine already skips.
 */
export const homeostasisAdapter: FormatAdapter = {
  name: 'homeostasis',
  description: 'Homeostasis monitoring logs: request_info{method,path,duration_ms}, response_info.status_code, error_details',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'Homeostasis "message" and "level" with "request_info" or "error_details"',
      // request_info / error_details make the shape: timestamp, level, message and service alone are winston's too.
      envelope: (r) =>
        typeof r.message === 'string' && r.timestamp !== undefined &&
        (asObject(r.request_info) !== undefined || asObject(r.error_details) !== undefined),
      operation: (r) => asObject(r.request_info) !== undefined,
      certainty: 0.9,
    }),
  toEvents(rec) {
    const req = asObject(rec.request_info);
    if (!req) return [];
    const res = asObject(rec.response_info);
    const err = asObject(rec.error_details);
    const status = readStatus(res?.status_code);
    const ok = !err && (status === undefined ? !isErrorLevel(rec) : status < 400);
    const ev = buildEvent({
      ts: rec.timestamp,
      op: httpOperation(req.method, req.path ?? req.url) ?? rec.message,
      duration: req.duration_ms,
      durationUnit: 'ms',
      ok,
      status,
      category: categoryFromExceptionType(err?.exception_type),
      code: err?.exception_type ?? httpErrorCode(status),
      message: err?.message ?? (ok ? undefined : rec.message),
      source: rec.service,
      attrs: statusAttrs(status),
    });
    return 'bad' in ev ? ev : [ev];
  },
};

function isErrorLevel(rec: JsonRecord): boolean {
  return typeof rec.level === 'string' && /^(error|critical|fatal)$/i.test(rec.level);
}
