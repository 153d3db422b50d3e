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
 * `update leases/status`) or, for non-resource requests, the verb and path (`get /readyz`). Azure's diagnostic
 * export (`category: kube-audit`) carries the event in `properties.log`, as an object or as JSON text.
 */
export const k8sAuditAdapter: FormatAdapter = {
  name: 'k8s-audit',
  description: 'Kubernetes API-server audit log: ResponseComplete events, requestReceivedTimestamp -> stageTimestamp, verb + resource; Azure kube-audit export',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'an "audit.k8s.io" Event with "auditID" and "stage"',
      envelope: (r) => auditEvent(r) !== undefined,
      operation: (r) => isFinal(auditEvent(r)),
      certainty: 0.98,
    }),
  toEvents(line) {
    const rec = auditEvent(line);
    if (!rec || !isFinal(rec)) return [];
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

function isAudit(r: JsonRecord | undefined): boolean {
  return r !== undefined && r.kind === 'Event' && typeof r.apiVersion === 'string' && r.apiVersion.startsWith('audit.k8s.io/') && r.auditID !== undefined;
}

/** The audit event of a line: the line itself, or the one an Azure diagnostic record wraps. */
function auditEvent(r: JsonRecord): JsonRecord | undefined {
  if (isAudit(r)) return r;
  if (typeof r.category !== 'string' || !r.category.startsWith('kube-audit')) return undefined;
  const log = asObject(r.properties)?.log;
  if (typeof log !== 'string') return isAudit(asObject(log)) ? asObject(log) : undefined;
  try {
    const inner = asObject(JSON.parse(log));
    return isAudit(inner) ? inner : undefined;
  } catch {
    return undefined;
  }
}

function isFinal(r: JsonRecord | undefined): boolean {
  return r !== undefined && typeof r.stage === 'string' && FINAL_STAGES.has(r.stage);
}

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
