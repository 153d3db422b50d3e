import type { JsonRecord } from '../formats/format-adapter.js';
import { capName, MAX_OP } from '../../core/op-name.js';

/** First value among `keys` that is present (not undefined or null), with the key it was found under. */
export function pick(rec: JsonRecord, keys: readonly string[]): [string, unknown] | undefined {
  for (const k of keys) {
    const v = rec[k];
    if (v !== undefined && v !== null) return [k, v];
  }
  return undefined;
}

/** Value at a dotted path (`timing.duration`), or undefined. */
export function at(rec: unknown, path: string): unknown {
  let cur: unknown = rec;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as JsonRecord)[part];
  }
  return cur;
}

export function asObject(v: unknown): JsonRecord | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonRecord) : undefined;
}

/** A finite number from a number or numeric string, else undefined. */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A short string for names, ids and codes (a long one cut as capName cuts it); objects and arrays are not names. */
export function asText(v: unknown, max = MAX_OP): string | undefined {
  if (typeof v === 'string') return capName(v, max);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Share of samples in which `test` holds; the basis of every adapter's detection score. */
export function share(samples: JsonRecord[], test: (r: JsonRecord) => boolean): number {
  if (samples.length === 0) return 0;
  let n = 0;
  for (const s of samples) if (test(s)) n++;
  return n / samples.length;
}
