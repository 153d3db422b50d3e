import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { httpErrorCode, readStatus, statusAttrs } from '../normalize/http-status.js';
import { httpOperation } from '../normalize/normalize-route.js';
import { asObject } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';

/** Caddy's own loggers: an access log file may also hold the server's startup and TLS lines. */
const CADDY_LOGGER = /^(http|tls|admin|pki)(\.|$)/;

/**
 * Caddy's JSON access log (logger `http.log.access[.NAME]`): `ts` in epoch seconds, `request.{method,uri,host}`,
 * `status`, and `duration` in seconds (a float, or a string such as "1.2ms" when duration_format is set).
 */
export const caddyAdapter: FormatAdapter = {
  name: 'caddy',
  description: 'Caddy JSON access log: ts (epoch s), request{method,uri,host}, status, duration (s)',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'a Caddy "logger" (http.log.access, http, tls)',
      envelope: (r) => typeof r.logger === 'string' && CADDY_LOGGER.test(r.logger) && r.ts !== undefined,
      operation: isAccess,
      certainty: 0.97,
    }),
  toEvents(rec) {
    if (!isAccess(rec)) return [];
    const req = asObject(rec.request) ?? {};
    const status = readStatus(rec.status);
    // Caddy logs status 0 when a handler failed before writing; err_id marks such failures.
    const ok = status !== undefined && status < 400 && rec.err_id === undefined;
    const ev = buildEvent({
      ts: rec.ts,
      op: httpOperation(req.method, req.uri),
      duration: rec.duration,
      durationUnit: 's',
      ok,
      status,
      code: httpErrorCode(status) ?? rec.err_id,
      message: rec.err_trace ?? (ok ? undefined : rec.msg),
      source: req.host,
      attrs: statusAttrs(status),
    });
    return 'bad' in ev ? ev : [ev];
  },
};

function isAccess(r: JsonRecord): boolean {
  return typeof r.logger === 'string' && r.logger.startsWith('http.log.access') && asObject(r.request) !== undefined;
}
