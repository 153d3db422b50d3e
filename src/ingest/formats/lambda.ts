import type { Attrs } from '../../core/op-event.js';
import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { categoryFromExceptionType } from '../normalize/exception-category.js';
import { asNumber, asObject } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';

/** Telemetry records carry no function name; a file usually holds one function, named by its source label. */
export const LAMBDA_OP = 'invoke';

/**
 * AWS Lambda Telemetry API records (`{time, type, record}`): one `platform.report` per invocation with
 * `record.metrics.durationMs` and `record.status` (success, failure, error, timeout). Function and extension
 * log lines, start and runtimeDone records are not counted, so each invocation counts once.
 */
export const lambdaAdapter: FormatAdapter = {
  name: 'lambda',
  description: 'AWS Lambda telemetry: platform.report records (metrics.durationMs, status, maxMemoryUsedMB), also Telemetry API batches (a JSON array per line)',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'Lambda telemetry "type" (platform.*, function, extension) with "record"',
      envelope: (r) =>
        typeof r.type === 'string' && /^(platform\.|function$|extension$)/.test(r.type) && r.record !== undefined && r.time !== undefined,
      operation: (r) => r.type === 'platform.report',
      certainty: 0.95,
    }),
  toEvents(rec) {
    if (rec.type !== 'platform.report') return [];
    const record = asObject(rec.record) ?? {};
    const metrics = asObject(record.metrics) ?? {};
    const status = typeof record.status === 'string' ? record.status : 'success';
    const ok = status === 'success';
    const errorType = record.errorType;
    const ev = buildEvent({
      ts: rec.time,
      op: LAMBDA_OP,
      duration: metrics.durationMs,
      durationUnit: 'ms',
      ok,
      timedOut: status === 'timeout' || undefined,
      category: categoryFromExceptionType(errorType),
      code: errorType ?? (ok ? undefined : status),
      message: errorType,
      attrs: attrsOf(metrics),
    });
    return 'bad' in ev ? ev : [ev];
  },
};

function attrsOf(metrics: JsonRecord): Attrs {
  const attrs: Attrs = { coldStart: metrics.initDurationMs !== undefined };
  const memory = asNumber(metrics.maxMemoryUsedMB);
  if (memory !== undefined) attrs.memoryMb = memory;
  const init = asNumber(metrics.initDurationMs);
  if (init !== undefined) attrs.initDurationMs = init;
  return attrs;
}
