import type { Attrs } from '../../core/op-event.js';
import { buildEvent } from '../normalize/build-event.js';
import { detectSignature } from '../normalize/detect-signature.js';
import { asObject, asText } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';

/** The error event has no operation of its own; its failures are grouped under this name. */
export const GODEL_ERROR_OP = 'agent error';

/**
 * Godel's event bus (`.godel/events/*.jsonl`, src/core/event-bus.ts): `tool_call_end` is a tool call with
 * `duration` (ms) and `success`; `error` carries `error.{message,code}`. Other event types (turns, thinking,
 * text deltas) are not operations.
 */
export const godelAdapter: FormatAdapter = {
  name: 'godel',
  description: 'Godel agent events: tool_call_end{tool,duration (ms),success} and error{error.message,code}',
  detect: (samples) =>
    detectSignature(samples, {
      shape: 'Godel "id", "type" and "agentId" with an epoch "timestamp"',
      envelope: (r) => typeof r.type === 'string' && typeof r.agentId === 'string' && r.id !== undefined && typeof r.timestamp === 'number',
      operation: (r) => r.type === 'tool_call_end' || r.type === 'error',
      certainty: 0.9,
    }),
  toEvents(rec) {
    if (rec.type === 'tool_call_end') {
      const failed = rec.success === false;
      const ev = buildEvent({
        ts: rec.timestamp,
        op: rec.tool,
        duration: rec.duration,
        durationUnit: 'ms',
        ok: !failed,
        message: failed ? failureText(rec.result) : undefined,
        attrs: attrsOf(rec),
      });
      return 'bad' in ev ? ev : [ev];
    }
    if (rec.type === 'error') {
      const err = asObject(rec.error);
      const ev = buildEvent({
        ts: rec.timestamp,
        op: GODEL_ERROR_OP,
        ok: false,
        code: err?.code,
        message: err?.message ?? rec.error,
        attrs: attrsOf(rec),
      });
      return 'bad' in ev ? ev : [ev];
    }
    return [];
  },
};

function failureText(result: unknown): unknown {
  const obj = asObject(result);
  return obj ? obj.error ?? obj.message : result;
}

function attrsOf(rec: JsonRecord): Attrs | undefined {
  const attrs: Attrs = {};
  const session = asText(rec.sessionId);
  const agent = asText(rec.agentId);
  if (session) attrs.sessionId = session;
  if (agent) attrs.agentId = agent;
  return Object.keys(attrs).length ? attrs : undefined;
}
