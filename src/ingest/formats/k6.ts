import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { httpErrorCode, readStatus, statusAttrs } from '../normalize/http-status.js';
import { httpOperation } from '../normalize/normalize-route.js';
import { asObject } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';

/**
 * k6 `--out json`: one `Metric` declaration per metric, then `Point` lines. Each request gives one
 * `http_req_duration` point (value in ms) whose tags hold method, name/url, status and `expected_response`, the
 * same test `http_req_failed` applies; reading the duration points alone counts every request once.
 */
export const k6Adapter: FormatAdapter = {
  name: 'k6',
  description: 'k6 --out json: Point lines of http_req_duration (ms), status and expected_response from tags',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'k6 "type" Point/Metric with "metric" and "data"',
      envelope: (r) => (r.type === 'Point' || r.type === 'Metric') && typeof r.metric === 'string' && asObject(r.data) !== undefined,
      operation: isRequestPoint,
      certainty: 0.95,
    }),
  toEvents(rec) {
    if (!isRequestPoint(rec)) return [];
    const data = asObject(rec.data) ?? {};
    const tags = asObject(data.tags) ?? {};
    const status = readStatus(tags.status);
    // expected_response is k6's own verdict (it honours setResponseCallback); status is the fallback.
    const ok =
      tags.expected_response === 'true' || tags.expected_response === true ? true
      : tags.expected_response === 'false' || tags.expected_response === false ? false
      : status !== undefined && status < 400;
    const ev = buildEvent({
      ts: data.time,
      op: httpOperation(tags.method, tags.name ?? tags.url),
      duration: data.value,
      durationUnit: 'ms',
      ok,
      status,
      code: tags.error_code ?? httpErrorCode(status),
      message: tags.error,
      attrs: statusAttrs(status),
    });
    return 'bad' in ev ? ev : [ev];
  },
};

function isRequestPoint(r: JsonRecord): boolean {
  return r.type === 'Point' && r.metric === 'http_req_duration';
}
