import type { Attrs } from '../../core/op-event.js';
import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { categoryFromExceptionType } from '../normalize/exception-category.js';
import { asNumber, asText } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';

const ERROR_LEVELS = new Set(['error', 'critical', 'exception', 'fatal']);

/**
 * Codebase Gardener's structlog JSON: `event` is structlog's message key; operations carry `operation` and
 * `duration_seconds`, failures `error_type` (an exception class) and `error_message`.
 */
export const gardenerAdapter: FormatAdapter = {
  name: 'gardener',
  description: 'Codebase Gardener structlog JSON: timestamp, level, event, operation, duration_seconds, error_type',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'structlog "event" and "level" with an ISO "timestamp"',
      envelope: (r) => typeof r.event === 'string' && typeof r.level === 'string' && typeof r.timestamp === 'string',
      operation: isOperation,
      certainty: 0.8,
    }),
  toEvents(rec) {
    if (!isOperation(rec)) return [];
    const level = typeof rec.level === 'string' ? rec.level.toLowerCase() : '';
    const failed = rec.success === false || rec.error_type !== undefined || rec.error_message !== undefined || ERROR_LEVELS.has(level);
    const ev = buildEvent({
      ts: rec.timestamp,
      op: rec.operation ?? rec.event,
      duration: rec.duration_seconds,
      durationUnit: 's',
      ok: !failed,
      category: rec.error_category ?? categoryFromExceptionType(rec.error_type),
      code: rec.error_type,
      message: rec.error_message ?? (failed ? rec.event : undefined),
      attrs: attrsOf(rec),
    });
    return 'bad' in ev ? ev : [ev];
  },
};

/** An operation names itself or gives a duration; other structlog lines are messages. */
function isOperation(r: JsonRecord): boolean {
  return r.duration_seconds !== undefined || (typeof r.operation === 'string' && (r.error_type !== undefined || r.success !== undefined));
}

function attrsOf(rec: JsonRecord): Attrs | undefined {
  const attrs: Attrs = {};
  const session = asText(rec.session_id ?? rec.sessionId);
  if (session) attrs.sessionId = session;
  const memory = asNumber(rec.memory_mb ?? rec.memory_usage_mb);
  if (memory !== undefined) attrs.memoryMb = memory;
  const cpu = asNumber(rec.cpu_percent);
  if (cpu !== undefined) attrs.cpuPercent = cpu;
  return Object.keys(attrs).length ? attrs : undefined;
}
