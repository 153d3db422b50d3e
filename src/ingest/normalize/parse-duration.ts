import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../core/time.js';

export type DurationUnit = 'ns' | 'us' | 'ms' | 's' | 'min' | 'h';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  sec: 1000,
  m: MINUTE_MS,
  min: MINUTE_MS,
  h: HOUR_MS,
};

/** Durations longer than a year are taken as corrupt values, not as operations (docs/reliability.md). */
export const MAX_DURATION_MS = 365 * DAY_MS;

const PART = /(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(ns|us|µs|μs|ms|sec|min|s|m|h)?/giy;

/** Result of reading a duration: ms, or a reason it is unusable. */
export type DurationResult = number | { bad: string };

/**
 * Reads a duration given as a number in `unit`, a numeric string, or a string with units ("1.5s", "120ms",
 * Go's "1m30.5s"). Negative, non-finite and absurd values are reported, not clamped.
 */
export function parseDuration(v: unknown, unit: DurationUnit = 'ms'): DurationResult {
  let ms: number;
  if (typeof v === 'number') {
    ms = v * UNIT_MS[unit];
  } else if (typeof v === 'string') {
    const parsed = parseDurationString(v.trim(), unit);
    if (parsed === null) return { bad: 'duration is not a number' };
    ms = parsed;
  } else {
    return { bad: 'duration is not a number' };
  }
  if (!Number.isFinite(ms)) return { bad: 'duration is not finite' };
  if (ms < 0) return { bad: 'duration is negative' };
  if (ms > MAX_DURATION_MS) return { bad: 'duration is out of range (over a year)' };
  return ms;
}

function parseDurationString(s: string, unit: DurationUnit): number | null {
  if (s === '') return null;
  let total = 0;
  let pos = 0;
  let parts = 0;
  PART.lastIndex = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m || m.index !== pos || m[0] === '') return null;
    const factor = m[2] ? UNIT_MS[m[2].toLowerCase()] ?? UNIT_MS[m[2]] : UNIT_MS[unit];
    // A bare number is only allowed as the whole string; "1m30" is ambiguous.
    if (!m[2] && (parts > 0 || m[0].length !== s.length)) return null;
    total += Number(m[1]) * factor;
    pos += m[0].length;
    parts++;
  }
  return total;
}

const unitByName = new Map<string, DurationUnit | null>();

/** The unit a field name announces (`duration_ms`, `elapsedSeconds`, `took_ns`), or null when it says none. */
export function unitFromFieldName(name: string): DurationUnit | null {
  // Field names repeat on every line: each is matched once.
  let u = unitByName.get(name);
  if (u === undefined) unitByName.set(name, (u = matchUnit(name)));
  return u;
}

function matchUnit(name: string): DurationUnit | null {
  if (/(_ns|Ns|Nanos|_nanos|Nanoseconds|_nanoseconds)$/.test(name)) return 'ns';
  if (/(_us|Us|Micros|_micros|Microseconds|_microseconds)$/.test(name)) return 'us';
  if (/(_ms|Ms|Millis|_millis|Milliseconds|_milliseconds)$/.test(name)) return 'ms';
  if (/(_s|_sec|_secs|Seconds|_seconds|Secs)$/.test(name)) return 's';
  return null;
}
