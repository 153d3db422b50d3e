import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { httpErrorCode, readStatus, statusAttrs } from '../normalize/http-status.js';
import { normalizeRoute } from '../normalize/normalize-route.js';
import { preciseTimestamp } from '../normalize/parse-timestamp.js';
import { asObject, asText } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';

/** Stages after which a request is over; RequestReceived and ResponseStarted events of the same auditID are not. */
const FINAL_STAGES = new Set(['ResponseComplete', 'Panic']);

/**
 * Kubernetes API-server audit events (`audit.k8s.io`): each request writes an event per stage with one `auditID`;
 * only its ResponseComplete (or Panic) event counts, so a request counts once. The duration runs from
 * `requestReceivedTimestamp` to `stageTimestamp`; the operation is the verb and resource (`get pods`,
 * `update leases/status`) or, for non-resource requests, the verb and path (`get /readyz`).
 */
export const k8sAuditAdapter: FormatAdapter = {
  name: 'k8s-audit',
  description: 'Kubernetes API-server audit log: ResponseComplete events, requestReceivedTimestamp -> stageTimestamp, verb + resource',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'an "audit.k8s.io" Event with "auditID" and "stage"',
      envelope: (r) => r.kind === 'Event' && typeof r.apiVersion === 'string' && r.apiVersion.startsWith('audit.k8s.io/') && r.auditID !== undefined,
      operation: (r) => typeof r.stage === 'string' && FINAL_STAGES.has(r.stage),
      certainty: 0.98,
    }),
  toEvents(rec) {
    if (rec.kind !== 'Event' || typeof rec.stage !== 'string' || !FINAL_STAGES.has(rec.stage) || rec.auditID === undefined) return [];
    const start = preciseTimestamp(rec.requestReceivedTimestamp);
    const end = preciseTimestamp(rec.stageTimestamp);
    if (start === null || end === null) return { bad: 'requestReceivedTimestamp or stageTimestamp is not readable' };
    const response = asObject(rec.responseStatus) ?? {};
    const status = readStatus(response.code);
    const panicked = rec.stage === 'Panic';
    const ev = buildEvent({
      ts: rec.requestReceivedTimestamp,
      op: operation(rec),
      duration: end - start,
      durationUnit: 'ms',
      ok: !panicked && (status === undefined || status < 400),
      status,
      code: panicked ? 'Panic' : (asText(response.reason) ?? httpErrorCode(status)),
      message: response.message,
      attrs: statusAttrs(status),
    });
    return 'bad' in ev ? ev : [ev];
  },
};

function operation(rec: JsonRecord): string {
  const verb = asText(rec.verb) ?? '?';
  const ref = asObject(rec.objectRef);
  const resource = asText(ref?.resource);
  if (resource) {
    const sub = asText(ref?.subresource);
    return `${verb} ${resource}${sub ? `/${sub}` : ''}`;
  }
  const uri = asText(rec.requestURI);
  return uri ? `${verb} ${normalizeRoute(uri)}` : verb;
}
