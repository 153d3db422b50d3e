import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { httpErrorCode, readStatus, statusAttrs } from '../normalize/http-status.js';
import { httpOperation } from '../normalize/normalize-route.js';
import { preciseTimestamp } from '../normalize/parse-timestamp.js';
import type { BadRecord, FormatAdapter, JsonRecord } from './format-adapter.js';

/**
 * Cloudflare Logpush / Logpull `http_requests`: `ClientRequestMethod`, `ClientRequestPath` (or `ClientRequestURI`),
 * `EdgeResponseStatus`, and the edge's `EdgeStartTimestamp` / `EdgeEndTimestamp`, whose difference is the duration.
 * The timestamps come as the job's `timestamp_format` wrote them: nanoseconds (the default), Unix seconds or
 * RFC 3339, as numbers or strings.
 */
export const cloudflareAdapter: FormatAdapter = {
  name: 'cloudflare',
  description: 'Cloudflare Logpush http_requests: ClientRequestMethod/Path, EdgeResponseStatus, EdgeEndTimestamp - EdgeStartTimestamp',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'Cloudflare\'s "EdgeStartTimestamp" or "RayID" with "ClientRequest…" fields',
      envelope: (r) => (r.EdgeStartTimestamp !== undefined || r.RayID !== undefined) && (r.ClientRequestMethod !== undefined || r.ClientRequestURI !== undefined || r.ClientRequestPath !== undefined),
      operation: (r) => r.EdgeStartTimestamp !== undefined,
      certainty: 0.97,
    }),
  toEvents(rec) {
    if (rec.EdgeStartTimestamp === undefined) return [];
    const duration = elapsed(rec);
    if (typeof duration === 'object') return duration;
    const status = readStatus(rec.EdgeResponseStatus);
    const origin = readStatus(rec.OriginResponseStatus);
    const ev = buildEvent({
      ts: rec.EdgeStartTimestamp,
      op: httpOperation(rec.ClientRequestMethod, rec.ClientRequestPath ?? rec.ClientRequestURI),
      duration,
      durationUnit: 'ms',
      ok: status === undefined || status < 400,
      status,
      code: httpErrorCode(status),
      message: status !== undefined && status >= 400 && origin !== undefined && origin !== status ? `origin answered ${origin}` : undefined,
      source: typeof rec.ClientRequestHost === 'string' ? rec.ClientRequestHost : undefined,
      attrs: statusAttrs(status),
    });
    return 'bad' in ev ? ev : [ev];
  },
};

function elapsed(rec: JsonRecord): number | undefined | BadRecord {
  if (rec.EdgeEndTimestamp === undefined) return undefined;
  const start = preciseTimestamp(rec.EdgeStartTimestamp);
  const end = preciseTimestamp(rec.EdgeEndTimestamp);
  if (start === null || end === null) return { bad: 'EdgeStartTimestamp or EdgeEndTimestamp is not readable' };
  return end - start;
}
