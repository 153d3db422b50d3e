import type { Attrs } from '../../core/op-event.js';
import { buildEvent } from '../normalize/build-event.js';
import { httpOperation } from '../normalize/normalize-route.js';
import { unitFromFieldName, type DurationUnit } from '../normalize/parse-duration.js';
import { preciseTimestamp } from '../normalize/parse-timestamp.js';
import { asNumber } from '../normalize/read-fields.js';
import type { FormatAdapter, JsonRecord } from './format-adapter.js';
import type { NativeOptions } from './native.js';

/** `fields` in oplens.config.json: where each part of an event sits in the user's records (dotted paths). */
export interface FieldMapping {
  ts: string;
  op?: string;
  /** With a method, `op` is read as a URL: the operation becomes `GET /users/:id`. */
  method?: string;
  duration?: string;
  /** Or the duration as the time between two timestamps of the record (`requestReceivedTimestamp` -> `stageTimestamp`). */
  durationStart?: string;
  durationEnd?: string;
  /** Unit of the duration value; else the path's suffix (`_ms`, `Seconds`), else ingest.durationUnit. */
  durationUnit?: DurationUnit;
  ok?: string;
  status?: string;
  errorCategory?: string;
  errorMessage?: string;
  errorCode?: string;
  source?: string;
  /** Attribute name -> path (`memoryMb: "proc.rss_mb"`). */
  attrs?: Record<string, string>;
}

/**
 * Keys whose path must occur in a file's first records. Error and attribute paths are left out: they may sit on
 * failed or rare lines only.
 */
export const CHECKED_KEYS = ['ts', 'op', 'method', 'duration', 'durationStart', 'durationEnd', 'ok', 'status', 'source'] as const;

const OK_TEXT = /^(true|ok|success|succeeded|successful|pass|passed|completed|done|yes)$/i;
const FAIL_TEXT = /^(false|error|err|fail|failed|failure|timeout|timed_out|aborted|fatal|no)$/i;

type Getter = (r: JsonRecord) => unknown;

/**
 * Reads a dotted path. Keys that themselves contain dots are found at any level: `fields.time.busy` reaches
 * `{"fields": {"time.busy": "1.2ms"}}`, `http.status_code` reaches `{"http.status_code": 200}`. At each level the
 * plain key is tried first, then ever longer dotted ones; the keys to try are joined once, not per record.
 */
function getter(path: string): Getter {
  const parts = path.split('.');
  const n = parts.length;
  // joined[i][j]: the key made of parts i..j (inclusive).
  const joined = parts.map((_, i) => parts.map((__, j) => (j < i ? '' : parts.slice(i, j + 1).join('.'))));
  const walk = (cur: unknown, i: number): unknown => {
    if (i === n) return cur === null ? undefined : cur;
    if (cur === null || typeof cur !== 'object') return undefined;
    for (let j = i; j < n; j++) {
      const v = (cur as JsonRecord)[joined[i][j]];
      if (v === undefined) continue;
      const found = walk(v, j + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return (r) => walk(r, 0);
}

/** The format defined by a `fields` mapping; listed first so a file the mapping fits is read with it. */
export function mappedAdapter(m: FieldMapping, opts: NativeOptions = {}): FormatAdapter {
  const optional = (path: string | undefined): Getter | undefined => (path === undefined ? undefined : getter(path));
  const ts = getter(m.ts);
  const op = optional(m.op);
  const method = optional(m.method);
  const duration = optional(m.duration);
  const durationStart = optional(m.durationStart);
  const durationEnd = optional(m.durationEnd);
  /** ms between the two timestamps (sub-millisecond digits kept); a text the line can be quarantined with otherwise. */
  const span = (rec: JsonRecord): unknown => {
    const a = durationStart!(rec);
    const b = durationEnd!(rec);
    if (a === undefined || b === undefined) return undefined;
    const start = preciseTimestamp(a);
    const end = preciseTimestamp(b);
    return start === null || end === null ? `unreadable start or end timestamp (${String(a)}, ${String(b)})` : end - start;
  };
  const ok = optional(m.ok);
  const status = optional(m.status);
  const category = optional(m.errorCategory);
  const message = optional(m.errorMessage);
  const code = optional(m.errorCode);
  const source = optional(m.source);
  const attrs = Object.entries(m.attrs ?? {}).map(([name, path]) => [name, getter(path)] as const);
  const durationUnit = durationStart ? 'ms' : m.durationUnit ?? (m.duration ? unitFromFieldName(m.duration.split('.').pop()!) : null) ?? opts.durationUnit ?? 'ms';
  const checked = CHECKED_KEYS.filter((k) => m[k] !== undefined).map((k) => ({ key: k, path: m[k]!, get: getter(m[k]!) }));
  const missing = (records: JsonRecord[]) => checked.filter((c) => !records.some((r) => c.get(r) !== undefined));

  return {
    name: 'mapped',
    description: `the "fields" mapping in oplens.config.json (${checked.map((c) => `${c.key}: ${c.path}`).join(', ')})`,
    detect(samples) {
      const absent = missing(samples);
      const found = checked.length - absent.length;
      const what = absent.length ? `; not found: ${absent.map((c) => `${c.key} "${c.path}"`).join(', ')}` : '';
      const reason = `${found} of ${checked.length} mapped paths found in ${samples.length} sampled lines${what}`;
      if (samples.length === 0) return { score: 0, reason };
      if (absent.length === 0) return { score: 1, reason };
      // Timestamp found and one path off: most likely this file with a mistyped path, which validate then names.
      const nearMiss = !absent.some((c) => c.key === 'ts') && absent.length === 1 && checked.length > 2;
      return { score: nearMiss ? 0.7 : 0.3 * (found / checked.length), reason };
    },
    validate(records) {
      const first = missing(records)[0];
      return first && records.length ? `fields.${first.key}: path "${first.path}" not found` : undefined;
    },
    toEvents(rec) {
      const opValue = op?.(rec);
      const dur = durationStart ? span(rec) : duration?.(rec);
      if (opValue === undefined && dur === undefined) return [];
      const statusValue = status?.(rec);
      const statusNum = asNumber(statusValue);
      const verdict = outcome(ok?.(rec) ?? (statusNum === undefined ? statusValue : undefined));
      const errorGiven = category?.(rec) !== undefined || message?.(rec) !== undefined || code?.(rec) !== undefined;
      const isOk = verdict?.ok ?? (statusNum !== undefined ? statusNum < 400 : !errorGiven);
      const ev = buildEvent({
        ts: ts(rec),
        op: method ? httpOperation(method(rec), opValue) ?? opValue : opValue,
        duration: dur,
        durationUnit,
        ok: isOk,
        timedOut: verdict?.timedOut,
        status: statusNum,
        category: category?.(rec),
        code: code?.(rec),
        message: message?.(rec),
        source: source?.(rec),
        attrs: attrsOf(rec, attrs),
      });
      return 'bad' in ev ? ev : [ev];
    },
  };
}

/** A success flag as the log writes it: a boolean, 1/0, or a word. Undefined when it says neither. */
function outcome(v: unknown): { ok: boolean; timedOut?: boolean } | undefined {
  if (typeof v === 'boolean') return { ok: v };
  if (v === 1 || v === 0) return { ok: v === 1 };
  if (typeof v !== 'string') return undefined;
  if (OK_TEXT.test(v)) return { ok: true };
  if (FAIL_TEXT.test(v)) return { ok: false, timedOut: /^time/i.test(v) || undefined };
  return undefined;
}

function attrsOf(rec: JsonRecord, getters: ReadonlyArray<readonly [string, Getter]>): Attrs | undefined {
  let out: Attrs | undefined;
  for (const [name, get] of getters) {
    const v = get(rec);
    if (typeof v === 'number' || typeof v === 'boolean') (out ??= {})[name] = v;
    else if (typeof v === 'string') (out ??= {})[name] = asNumber(v) ?? v.slice(0, 200);
  }
  return out;
}
