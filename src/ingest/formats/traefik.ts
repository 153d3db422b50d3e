import type { Attrs } from '../../core/op-event.js';
import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { httpErrorCode, readStatus } from '../normalize/http-status.js';
import { httpOperation } from '../normalize/normalize-route.js';
import { asNumber } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';

/**
 * Traefik's JSON access log (pkg/middlewares/accesslog): `Duration` is a Go time.Duration, so nanoseconds;
 * `DownstreamStatus` is what the client got; `StartUTC` the request start; `ServiceName` the backend.
 */
export const traefikAdapter: FormatAdapter = {
  name: 'traefik',
  description: 'Traefik JSON access log: StartUTC, RequestMethod, RequestPath, DownstreamStatus, Duration (ns)',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'Traefik "RequestMethod" with "DownstreamStatus" or "RouterName"',
      envelope: (r) => r.RequestMethod !== undefined && (r.DownstreamStatus !== undefined || r.RouterName !== undefined || r.StartUTC !== undefined),
      operation: isAccess,
      certainty: 0.97,
    }),
  toEvents(rec) {
    if (!isAccess(rec)) return [];
    const status = readStatus(rec.DownstreamStatus);
    const ok = status !== undefined && status < 400;
    const ev = buildEvent({
      ts: rec.StartUTC ?? rec.time,
      op: httpOperation(rec.RequestMethod, rec.RequestPath),
      duration: rec.Duration,
      durationUnit: 'ns',
      ok,
      status,
      code: httpErrorCode(status),
      source: rec.ServiceName ?? rec.RouterName,
      attrs: attrsOf(rec, status),
    });
    return 'bad' in ev ? ev : [ev];
  },
};

function isAccess(r: JsonRecord): boolean {
  return r.RequestMethod !== undefined && r.Duration !== undefined;
}

function attrsOf(rec: JsonRecord, status: number | undefined): Attrs | undefined {
  const attrs: Attrs = {};
  if (status !== undefined) attrs.status = status;
  const retries = asNumber(rec.RetryAttempts);
  if (retries !== undefined) attrs.retries = retries;
  return Object.keys(attrs).length ? attrs : undefined;
}
