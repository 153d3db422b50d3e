import type { Attrs } from '../op-event.js';
import { buildEvent, type RawFields } from '../normalize/build-event.js';
import { unitFromFieldName, type DurationUnit } from '../normalize/parse-duration.js';
import { asNumber, asObject, asText, pick, share } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';

const TS_KEYS = ['timestamp', 'ts', 'time', '@timestamp'];
const OP_KEYS = ['operation', 'op', 'name', 'endpoint', 'route'];
/** Duration aliases in order of preference; a unit suffix in the name wins over the default unit. */
const DURATION_KEYS = [
  'durationMs', 'duration_ms', 'duration', 'elapsed', 'elapsedMs', 'elapsed_ms', 'latency', 'latencyMs',
  'latency_ms', 'responseTime', 'response_time', 'response_time_ms', 'duration_seconds', 'durationSeconds',
  'duration_s', 'elapsed_seconds', 'elapsed_s', 'latency_seconds', 'duration_us', 'duration_ns',
];
const STATUS_KEYS = ['status', 'statusCode', 'status_code'];
const SOURCE_KEYS = ['source', 'service', 'host', 'hostname'];
const ATTR_ALIASES: Array<[string, string[]]> = [
  ['sessionId', ['sessionId', 'session_id']],
  ['memoryMb', ['memoryMb', 'memory_mb', 'memMb', 'mem_mb']],
  ['cpuPercent', ['cpuPercent', 'cpu_percent', 'cpu']],
  ['concurrency', ['concurrency', 'activeRequests', 'inflight', 'in_flight']],
  ['retries', ['retries', 'retryCount', 'retry_count', 'retry']],
];

const OK_WORDS = new Set(['ok', 'success', 'succeeded', 'successful', 'pass', 'passed', 'completed', 'done']);
const FAIL_WORDS = new Set(['error', 'err', 'fail', 'failed', 'failure', 'timeout', 'timed_out', 'aborted', 'fatal']);
const ERROR_LEVELS = new Set(['error', 'fatal', 'critical', 'crit', 'alert', 'emerg', 'panic']);

/** Options that come from config: the unit of duration fields whose name says none. */
export interface NativeOptions {
  durationUnit?: DurationUnit;
}

interface Outcome {
  ok: boolean;
  status?: number;
  timedOut?: boolean;
}

function outcome(rec: JsonRecord, err: JsonRecord | undefined, errText: string | undefined): Outcome {
  const timedOut = rec.timedOut === true || rec.timed_out === true || rec.timeout === true || undefined;
  for (const k of ['success', 'ok']) {
    const v = rec[k];
    if (typeof v === 'boolean') return { ok: v && !timedOut, timedOut };
  }
  const st = pick(rec, STATUS_KEYS);
  if (st) {
    const n = asNumber(st[1]);
    if (n !== undefined) return { ok: n < 400 && !timedOut, status: n, timedOut };
    const w = typeof st[1] === 'string' ? st[1].toLowerCase() : '';
    if (OK_WORDS.has(w)) return { ok: !timedOut, timedOut };
    if (FAIL_WORDS.has(w)) return { ok: false, timedOut: timedOut || w.startsWith('time') || undefined };
  }
  if (timedOut || err || errText) return { ok: false, timedOut };
  const level = typeof rec.level === 'string' ? rec.level.toLowerCase() : undefined;
  return { ok: !(level && ERROR_LEVELS.has(level)) };
}

function attrsOf(rec: JsonRecord): Attrs | undefined {
  let attrs: Attrs | undefined;
  for (const [name, keys] of ATTR_ALIASES) {
    const hit = pick(rec, keys);
    if (!hit) continue;
    const v = hit[1];
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) {
      (attrs ??= {})[name] = name === 'sessionId' ? String(v).slice(0, 200) : asNumber(v) ?? String(v).slice(0, 200);
    }
  }
  return attrs;
}

/** Reads the native fields of one record; other adapters reuse it after moving their fields into place. */
export function nativeFields(rec: JsonRecord, opts: NativeOptions = {}): RawFields {
  const dur = pick(rec, DURATION_KEYS);
  const errObj = asObject(rec.error) ?? asObject(rec.err);
  const errText = typeof rec.error === 'string' && rec.error !== '' ? rec.error : undefined;
  const out = outcome(rec, errObj, errText);
  return {
    ts: pick(rec, TS_KEYS)?.[1],
    op: asText(pick(rec, OP_KEYS)?.[1]),
    duration: dur?.[1],
    durationUnit: dur ? unitFromFieldName(dur[0]) ?? opts.durationUnit ?? 'ms' : undefined,
    ok: out.ok,
    timedOut: out.timedOut,
    status: out.status,
    category: errObj?.category ?? errObj?.type ?? rec.errorCategory ?? rec.error_category ?? rec.error_type,
    code: errObj?.code ?? rec.errorCode ?? rec.error_code,
    message: errObj?.message ?? errObj?.msg ?? errText ?? rec.errorMessage ?? rec.error_message,
    exitCode: asNumber(rec.exitCode ?? rec.exit_code),
    source: asText(pick(rec, SOURCE_KEYS)?.[1]),
    attrs: attrsOf(rec),
  };
}

/** The native format: DESIGN.md "The flat native format" with its aliases. */
export function nativeAdapter(opts: NativeOptions = {}): FormatAdapter {
  return {
    name: 'native',
    description: 'oplens native JSONL: timestamp, operation, duration (ms), success, error{category,message,code}',
    detect(samples) {
      const hasTs = share(samples, (r) => pick(r, TS_KEYS) !== undefined);
      const hasOp = share(samples, (r) => pick(r, OP_KEYS) !== undefined);
      const hasDur = share(samples, (r) => pick(r, DURATION_KEYS) !== undefined);
      // Native is also the fallback, so even a perfect match scores below a specific adapter's certain match.
      const score = 0.5 * hasTs * (0.5 * hasOp + 0.5 * hasDur) + 0.1 * hasTs;
      return {
        score: Math.min(score, 0.6),
        reason: `timestamp in ${pct(hasTs)}, operation in ${pct(hasOp)}, duration in ${pct(hasDur)} of sampled lines`,
      };
    },
    toEvents(rec) {
      const f = nativeFields(rec, opts);
      // A record with neither an operation nor a duration is a log message, not an operation.
      if ((f.op === undefined || f.op === '') && f.duration === undefined) return [];
      const ev = buildEvent(f);
      return 'bad' in ev ? ev : [ev];
    },
  };
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}
