import type { Attrs } from '../../core/op-event.js';
import { buildEvent, type RawFields } from '../normalize/build-event.js';
import { httpOperation } from '../normalize/normalize-route.js';
import { unitFromFieldName, type DurationUnit } from '../normalize/parse-duration.js';
import { asNumber, asObject, asText, pick, share } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';

const TS_KEYS = ['timestamp', 'ts', 'time', '@timestamp', 'time_iso8601', 'time_local'];
const OP_KEYS = ['operation', 'op', 'name', 'endpoint', 'route'];
/** Duration aliases in order of preference; a unit suffix in the name wins over the default unit. */
const DURATION_KEYS = [
  'durationMs', 'duration_ms', 'duration', 'elapsed', 'elapsedMs', 'elapsed_ms', 'latency', 'latencyMs',
  'latency_ms', 'request_time', 'responseTime', 'response_time', 'response_time_ms', 'duration_seconds', 'durationSeconds',
  'duration_s', 'elapsed_seconds', 'elapsed_s', 'latency_seconds', 'duration_us', 'duration_ns',
  'upstream_response_time',
];
const STATUS_KEYS = ['status', 'statusCode', 'status_code'];
/** Durations whose name carries no unit but whose writers always use seconds (nginx's `$request_time`). */
const SECONDS_KEYS = new Set(['request_time', 'upstream_response_time']);
/**
 * `response_time` is seconds in nginx-style access logs (alp's and ISUCON's `log_format`s put `$request_time` or
 * `$upstream_response_time` there); a record with one of nginx's own keys is such a log.
 */
const NGINX_KEYS = ['request_time', 'upstream_response_time', 'upstream_addr', 'body_bytes_sent', 'body_bytes', 'remote_addr', 'time_local', 'time_iso8601', 'request_uri'];
/** nginx writes `-` (or an empty string) for a time it did not measure: the field is missing, the line is fine. */
const notMeasured = (v: string) => v === '-' || v === '';
/** HTTP access logs name no operation: it is the method and the route (`GET /users/:id`). */
const URL_KEYS = ['path', 'url', 'uri', 'request_uri', 'route_path'];
const METHOD_KEYS = ['method', 'request_method', 'http_method', 'verb'];
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
  const flag = typeof rec.success === 'boolean' ? rec.success : rec.ok;
  if (typeof flag === 'boolean') return { ok: flag && !timedOut, timedOut };
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

type Role = 'ts' | 'op' | 'duration' | 'source' | 'attr';

/** Alias -> its role, preference and attribute name: built once so each record is scanned in one pass over its keys. */
const ROLES = new Map<string, { kind: Role; rank: number; attr: string; slot: number }>();
const addRoles = (kind: Role, keys: readonly string[], attr = '', slot = -1) => keys.forEach((k, rank) => ROLES.set(k, { kind, rank, attr, slot }));
addRoles('ts', TS_KEYS);
addRoles('op', OP_KEYS);
addRoles('duration', DURATION_KEYS);
addRoles('source', SOURCE_KEYS);
ATTR_ALIASES.forEach(([name, keys], slot) => addRoles('attr', keys, name, slot));
/** The preference of each attribute's alias read so far (none: 99), indexed by its place in ATTR_ALIASES. */
const NO_ATTR_RANKS: readonly number[] = ATTR_ALIASES.map(() => 99);

/** Reads the native fields of one record; other adapters reuse it after moving their fields into place. */
export function nativeFields(rec: JsonRecord, opts: NativeOptions = {}): RawFields {
  let ts: unknown, op: unknown, dur: unknown, src: unknown, durKey = '';
  let tsRank = 99, opRank = 99, durRank = 99, srcRank = 99;
  let attrs: Attrs | undefined;
  let attrRanks: number[] | undefined;
  for (const k in rec) {
    const role = ROLES.get(k);
    if (role === undefined) continue;
    const v = rec[k];
    if (v === undefined || v === null) continue;
    const { kind, rank } = role;
    if (typeof v === 'string' && notMeasured(v)) continue;
    if (kind === 'ts') {
      if (rank < tsRank) (ts = v), (tsRank = rank);
    } else if (kind === 'op') {
      if (rank < opRank) (op = v), (opRank = rank);
    } else if (kind === 'duration') {
      if (rank < durRank) (dur = v), (durRank = rank), (durKey = k);
    } else if (kind === 'source') {
      if (rank < srcRank) (src = v), (srcRank = rank);
    } else if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) {
      attrRanks ??= NO_ATTR_RANKS.slice();
      if (rank < attrRanks[role.slot]) {
        attrRanks[role.slot] = rank;
        const attr = role.attr;
        (attrs ??= {})[attr] = attr === 'sessionId' ? String(v).slice(0, 200) : asNumber(v) ?? String(v).slice(0, 200);
      }
    }
  }
  const errObj = asObject(rec.error) ?? asObject(rec.err);
  const errText = typeof rec.error === 'string' && rec.error !== '' ? rec.error : undefined;
  const out = outcome(rec, errObj, errText);
  return {
    ts,
    op: asText(op) ?? httpOp(rec),
    duration: typeof dur === 'string' && (durKey === 'upstream_response_time' || durKey === 'response_time') ? upstreamTotal(dur) : dur,
    durationUnit: durKey ? unitFromFieldName(durKey) ?? (secondsKey(durKey, rec) ? 's' : opts.durationUnit ?? 'ms') : undefined,
    ok: out.ok,
    timedOut: out.timedOut,
    status: out.status,
    category: errObj?.category ?? errObj?.type ?? rec.errorCategory ?? rec.error_category ?? rec.error_type,
    code: errObj?.code ?? rec.errorCode ?? rec.error_code,
    message: errObj?.message ?? errObj?.msg ?? errText ?? rec.errorMessage ?? rec.error_message,
    exitCode: asNumber(rec.exitCode ?? rec.exit_code),
    source: asText(src),
    attrs,
  };
}

function secondsKey(key: string, rec: JsonRecord): boolean {
  return SECONDS_KEYS.has(key) || (key === 'response_time' && NGINX_KEYS.some((k) => rec[k] !== undefined));
}

/**
 * nginx's upstream times when it tried several upstreams: `"0.004, 0.002"` (commas between servers, colons between
 * internal redirects). The request waited for each in turn, so its upstream time is their sum; `-` parts (an
 * upstream that gave no response) add nothing. Other text is passed on to be read (or reported) as it is.
 */
function upstreamTotal(v: string): unknown {
  if (!v.includes(',') && !v.includes(':')) return v;
  let total = 0;
  for (const part of v.split(/[,:]/)) {
    const t = part.trim();
    if (t === '-' || t === '') continue;
    const n = Number(t);
    if (!Number.isFinite(n)) return v;
    total += n;
  }
  return total;
}

/**
 * `GET /users/:id` from a method and a path or URL field, or from nginx's `request` ("GET /x?y=1 HTTP/1.1").
 * Undefined when the record names no URL.
 */
function httpOp(rec: JsonRecord): string | undefined {
  const url = pick(rec, URL_KEYS)?.[1];
  if (typeof url === 'string') return httpOperation(pick(rec, METHOD_KEYS)?.[1], url);
  const request = rec.request;
  if (typeof request === 'string') {
    const m = /^([A-Z]+) (\S+)/.exec(request);
    if (m) return httpOperation(m[1], m[2]);
  }
  return undefined;
}

/** The native format: DESIGN.md "The flat native format" with its aliases. */
export function nativeAdapter(opts: NativeOptions = {}): FormatAdapter {
  return {
    name: 'native',
    description: 'oplens native JSONL: timestamp, operation, duration (ms), success, error{category,message,code}; JSON access logs (nginx, alp/ISUCON: request_time, upstream_response_time, response_time in s, "-" = not measured)',
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
