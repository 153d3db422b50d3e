import type { OpEvent } from '../../core/op-event.js';
import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { httpErrorCode, readStatus, statusAttrs } from '../normalize/http-status.js';
import { httpOperation } from '../normalize/normalize-route.js';
import { preciseTimestamp } from '../normalize/parse-timestamp.js';
import { asText, pick } from '../normalize/read-fields.js';
import type { BadRecord, FormatAdapter, JoinedRequest, JsonRecord } from './format-adapter.js';

const STARTED = 'request_started';
const FINISHED = new Set(['request_finished', 'request_failed']);
/** A duration the finish line may carry (some middlewares add one); else it is the time between the two lines. */
const DURATION_KEYS = ['duration_ms', 'duration', 'elapsed', 'latency'];
const ID_KEYS = ['request_id', 'requestId', 'correlation_id'];

/**
 * structlog request middleware (django-structlog's RequestMiddleware and the many that copy it): `request_started`
 * (`request: "GET /path"`) and `request_finished` (`code`) or `request_failed` (`code`, `exception`), joined by
 * `request_id`. The duration is the finish line's own when it has one, else the time between the two lines.
 */
export const structlogRequestsAdapter: FormatAdapter = {
  name: 'structlog-requests',
  description: 'structlog request middleware: request_started + request_finished/request_failed joined by request_id',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'structlog "event" with a "request_id"',
      envelope: (r) => typeof r.event === 'string' && pick(r, ID_KEYS) !== undefined,
      operation: (r) => r.event === STARTED || FINISHED.has(r.event as string),
      certainty: 0.93,
    }),
  toEvents: () => [],
  join: {
    part(rec) {
      const event = rec.event;
      const role = event === STARTED ? 'start' : typeof event === 'string' && FINISHED.has(event) ? 'finish' : undefined;
      if (role === undefined) return undefined;
      const key = asText(pick(rec, ID_KEYS)?.[1]);
      if (key === undefined) return undefined;
      const ts = preciseTimestamp(rec.timestamp);
      if (ts === null) return { bad: rec.timestamp === undefined ? 'no timestamp' : 'timestamp is not readable' };
      const data: JsonRecord = { timestamp: rec.timestamp, ts, request: rec.request, code: rec.code, event };
      if (role === 'finish') {
        const d = pick(rec, DURATION_KEYS);
        if (d) [data.durationKey, data.duration] = d;
        if (rec.exception !== undefined) data.exception = firstLine(rec.exception);
      }
      return { role, key, ts, data };
    },
    complete,
  },
};

function complete({ start, finish }: JoinedRequest): OpEvent | BadRecord {
  const s = start?.data ?? {};
  const f = finish?.data ?? {};
  const [method, path] = splitRequest(s.request ?? f.request);
  const status = readStatus(f.code);
  const failed = f.event === 'request_failed' || (status !== undefined && status >= 400);
  const ownDuration = f.duration !== undefined;
  return buildEvent({
    ts: start ? s.timestamp : f.timestamp,
    op: httpOperation(method, path) ?? '(request whose start was not read)',
    // Without its own duration and without the start line, a request has no duration.
    duration: ownDuration ? f.duration : start && finish ? (f.ts as number) - (s.ts as number) : undefined,
    durationUnit: ownDuration && f.durationKey === 'duration_ms' ? 'ms' : ownDuration ? 's' : 'ms',
    ok: !failed,
    status,
    code: httpErrorCode(status),
    message: f.exception,
    attrs: statusAttrs(status),
  });
}

/** django-structlog writes the request as `"GET /path"`. */
function splitRequest(v: unknown): [string | undefined, string | undefined] {
  if (typeof v !== 'string') return [undefined, undefined];
  const sp = v.indexOf(' ');
  return sp === -1 ? [undefined, v] : [v.slice(0, sp), v.slice(sp + 1)];
}

/** The exception's last line names it (`RuntimeError: database connection lost`); the traceback stays in the log. */
function firstLine(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const lines = v.trim().split('\n');
  return lines[lines.length - 1];
}
