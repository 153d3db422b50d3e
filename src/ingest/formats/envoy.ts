import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { httpErrorCode, readStatus, statusAttrs } from '../normalize/http-status.js';
import { httpOperation } from '../normalize/normalize-route.js';
import type { FormatAdapter } from './format-adapter.js';

// Envoy's RESPONSE_FLAGS that name the failure better than the status does (a 503 can be any of them).
const FLAG_CATEGORIES: Array<[RegExp, string]> = [
  [/\b(UT|SI)\b/, 'timeout'],
  [/\b(RL|RLSE)\b/, 'rate_limit'],
  [/\b(UF|UH|UC|UR|URX|LR|DC|UO|UPE|DPE|UMSDR)\b/, 'connection'],
  [/\bNR\b/, 'not_found'],
  [/\bUAEX\b/, 'auth'],
];

/**
 * Envoy / Istio JSON access logs (Istio's default JSON encoding and the usual json_format dictionaries):
 * `start_time`, `method`, `path`, `response_code` (0 when no response was sent), `duration` in ms,
 * `response_flags`, `upstream_cluster`. Values may be numbers or strings, "-" when unset.
 */
export const envoyAdapter: FormatAdapter = {
  name: 'envoy',
  description: 'Envoy/Istio JSON access log: start_time, method, path, response_code, duration (ms), response_flags',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'Envoy "response_code" with "response_flags", "upstream_cluster" or "start_time"',
      envelope: (r) =>
        r.response_code !== undefined && (r.response_flags !== undefined || r.upstream_cluster !== undefined || r.start_time !== undefined),
      operation: (r) => r.duration !== undefined,
      certainty: 0.95,
    }),
  toEvents(rec) {
    if (rec.duration === undefined) return [];
    const status = readStatus(rec.response_code);
    const flagValue = set(rec.response_flags);
    const flags = flagValue === undefined ? undefined : String(flagValue);
    const ok = status !== undefined && status < 400;
    const ev = buildEvent({
      ts: rec.start_time,
      op: httpOperation(set(rec.method), set(rec.path)) ?? clusterName(rec.upstream_cluster) ?? 'tcp',
      duration: set(rec.duration),
      durationUnit: 'ms',
      ok,
      status,
      category: flags ? FLAG_CATEGORIES.find(([re]) => re.test(flags))?.[1] : undefined,
      code: flags ?? httpErrorCode(status),
      message: set(rec.response_code_details) ?? set(rec.upstream_transport_failure_reason),
      source: clusterName(rec.upstream_cluster) ?? set(rec.authority),
      attrs: statusAttrs(status),
    });
    return 'bad' in ev ? ev : [ev];
  },
};

/** A field's value, or undefined when Envoy wrote it as unset ("-", empty or null). */
function set(v: unknown): string | number | undefined {
  if (v === undefined || v === null || v === '-' || v === '') return undefined;
  return typeof v === 'number' ? v : String(v);
}

/** Istio names clusters `outbound|9080||reviews.default.svc.cluster.local`: the host is the service. */
function clusterName(v: unknown): string | undefined {
  const s = set(v);
  if (s === undefined) return undefined;
  const parts = String(s).split('|');
  return parts[parts.length - 1] || String(s);
}
