import type { Attrs } from '../../core/op-event.js';
import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { asNumber, asObject } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';

/**
 * GansAuditor_Codex operation logs (`logs/codex/codex-operations-YYYY-MM-DD.jsonl`, written by its
 * src/monitoring/codex-operation-logger.ts): one object per CLI operation with `timing.duration` in ms.
 */
export const codexAdapter: FormatAdapter = {
  name: 'codex',
  description: 'GansAuditor_Codex operations: timestamp (epoch ms), operationType, timing.duration (ms), result, error',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'GansAuditor "operationType" with a "timing" object',
      envelope: (r) => typeof r.operationType === 'string' && asObject(r.timing) !== undefined,
      operation: (r) => asObject(r.timing)?.duration !== undefined || asObject(r.error) !== undefined,
      certainty: 0.95,
    }),
  toEvents(rec) {
    const timing = asObject(rec.timing) ?? {};
    const result = asObject(rec.result);
    const error = asObject(rec.error);
    const timedOut = result?.timedOut === true || undefined;
    const success = typeof result?.success === 'boolean' ? result.success : error === undefined;
    const ok = success && !timedOut && !error;
    // Debug entries carry neither a duration nor a failure: they are notes, not operations.
    if (timing.duration === undefined && ok) return [];
    const ev = buildEvent({
      ts: rec.timestamp,
      op: rec.operationType,
      duration: timing.duration,
      durationUnit: 'ms',
      ok,
      timedOut,
      category: error?.category,
      code: error?.name,
      message: error?.message ?? (ok ? undefined : nonEmpty(result?.stderr)),
      exitCode: asNumber(result?.exitCode),
      attrs: attrsOf(rec),
    });
    return 'bad' in ev ? ev : [ev];
  },
};

function attrsOf(rec: JsonRecord): Attrs | undefined {
  const ctx = asObject(rec.context) ?? {};
  const attrs: Attrs = {};
  if (typeof rec.sessionId === 'string') attrs.sessionId = rec.sessionId.slice(0, 200);
  const memory = asNumber(ctx.systemMemory); // heap used, MB
  const active = asNumber(ctx.activeProcesses);
  const queued = asNumber(ctx.queuedProcesses);
  const retry = asNumber(ctx.retryAttempt);
  if (memory !== undefined) attrs.memoryMb = memory;
  if (active !== undefined) attrs.concurrency = active;
  if (queued !== undefined) attrs.queued = queued;
  if (retry !== undefined) attrs.retries = retry;
  return Object.keys(attrs).length ? attrs : undefined;
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}
