import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { httpErrorCode, readStatus, statusAttrs } from '../normalize/http-status.js';
import { httpOperation } from '../normalize/normalize-route.js';
import { protoSeconds } from '../normalize/proto-time.js';
import { asObject, asText } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';

/**
 * Google Cloud Logging entries with an `httpRequest` (load balancers, Cloud Run, App Engine, GKE ingress):
 * `requestMethod`, `requestUrl`, `status`, `latency` as a protobuf Duration (`"0.007073s"`, or `{seconds, nanos}` with
 * a `{seconds, nanos}` timestamp as Google's client libraries write entries to stdout). An entry without a
 * latency (a cache hit the balancer answered) counts without a duration; entries without `httpRequest` are the
 * service's own messages.
 */
export const gcpHttpAdapter: FormatAdapter = {
  name: 'gcp-http',
  description: 'Google Cloud Logging httpRequest entries: requestMethod, requestUrl, status, latency ("0.007073s" or {seconds, nanos})',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'a Cloud Logging entry ("logName", "resource", or "httpRequest")',
      envelope: (r) => asObject(r.httpRequest) !== undefined || (typeof r.logName === 'string' && asObject(r.resource) !== undefined),
      operation: isRequest,
      certainty: 0.95,
    }),
  toEvents(rec) {
    if (!isRequest(rec)) return [];
    const http = asObject(rec.httpRequest)!;
    const status = readStatus(http.status);
    // Status 0: no response was sent (the client went away first), which is not a success.
    const noResponse = http.status !== undefined && status === undefined;
    const labels = asObject(asObject(rec.resource)?.labels) ?? {};
    const ts = rec.timestamp ?? rec.receiveTimestamp;
    const tsSeconds = protoSeconds(ts);
    const ev = buildEvent({
      ts: tsSeconds === undefined ? ts : tsSeconds * 1000,
      op: httpOperation(http.requestMethod, http.requestUrl),
      duration: protoSeconds(http.latency) ?? http.latency,
      durationUnit: 's',
      ok: !noResponse && (status === undefined || status < 400),
      status,
      code: httpErrorCode(status) ?? (noResponse ? 'no response' : undefined),
      message: asObject(rec.jsonPayload)?.statusDetails ?? asText(rec.textPayload),
      source: labels.service_name ?? labels.backend_service_name ?? labels.module_id ?? labels.container_name,
      attrs: statusAttrs(status),
    });
    return 'bad' in ev ? ev : [ev];
  },
};

function isRequest(r: JsonRecord): boolean {
  const http = asObject(r.httpRequest);
  return http !== undefined && (http.requestMethod !== undefined || http.status !== undefined);
}
