import { assertWindow, DAY_MS, HOUR_MS, MINUTE_MS, WEEK_MS } from '../core/time.js';
import { UsageError } from '../errors.js';
import { parseTimestamp } from '../ingest/normalize/parse-timestamp.js';

/** The window analysed when no flag picks one. */
export const DEFAULT_WINDOW_DAYS = 7;

export interface WindowFlags {
  days?: string;
  hours?: string;
  since?: string;
  until?: string;
  now?: string;
}

export interface ResolvedWindow {
  /** Inclusive. */
  fromMs: number;
  /** Exclusive. */
  toMs: number;
  nowMs: number;
}

const RELATIVE = /^(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)$/i;
const UNIT_MS: Record<string, number> = { s: 1000, m: MINUTE_MS, min: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: WEEK_MS };

/**
 * Turns the window flags into [from, to): `--since`/`--until` take ISO-8601 (a missing zone means UTC) or a
 * relative age (`36h`, `7d`, `90m`: that long before now); `--days`/`--hours` give the length, counted back from
 * `--until` (default now) or forward from `--since`. `--now` pins "now" so runs are reproducible.
 */
export function parseWindow(o: WindowFlags): ResolvedWindow {
  const nowMs = o.now === undefined ? Date.now() : parseInstant(o.now, '--now', null);
  if (o.days !== undefined && o.hours !== undefined) throw new UsageError('--days and --hours cannot be combined', 'give the window length once');
  const length =
    o.days !== undefined ? positive(o.days, '--days') * DAY_MS : o.hours !== undefined ? positive(o.hours, '--hours') * HOUR_MS : undefined;
  const lengthFlag = o.days !== undefined ? '--days' : '--hours';
  const since = o.since === undefined ? undefined : parseInstant(o.since, '--since', nowMs);
  const until = o.until === undefined ? undefined : parseInstant(o.until, '--until', nowMs);
  if (since !== undefined && until !== undefined && length !== undefined) {
    throw new UsageError(`--since, --until and ${lengthFlag} together over-determine the window`, 'give two of them at most');
  }
  let fromMs: number;
  let toMs: number;
  if (since !== undefined && length !== undefined) {
    fromMs = since;
    toMs = since + length;
  } else {
    toMs = until ?? nowMs;
    fromMs = since ?? toMs - (length ?? DEFAULT_WINDOW_DAYS * DAY_MS);
  }
  assertWindow(fromMs, toMs, 'the window', '--since must be before --until (and before --now when --until is not given)');
  return { fromMs, toMs, nowMs };
}

/** A relative length such as `36h`, `7d`, `90m`, `2w` in ms, or null when the text is not one. */
export function parseRelative(text: string): number | null {
  const m = RELATIVE.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2].toLowerCase()];
  return ms > 0 ? ms : null;
}

function positive(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) {
    const example = flag === '--days' ? '--days 7 or --days 0.5' : '--hours 6 or --hours 1.5';
    throw new UsageError(`${flag}: expected a positive number, got "${text}"`, `write it in digits, e.g. ${example}`);
  }
  return n;
}

/** An ISO-8601 instant, or (when `nowMs` is given) a relative age counted back from now. */
function parseInstant(text: string, flag: string, nowMs: number | null): number {
  if (nowMs !== null) {
    const rel = parseRelative(text);
    if (rel !== null) return nowMs - rel;
  }
  // Bare numbers are not accepted: "7" is more likely a mistyped --days than an epoch.
  const ms = /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? null : parseTimestamp(dateOnly(text));
  if (ms === null) {
    const expected = nowMs === null ? 'an ISO-8601 time such as 2026-11-16T00:00:00Z' : 'an ISO-8601 time or an age such as 36h, 7d, 90m';
    throw new UsageError(`${flag}: expected ${expected}, got "${text}"`);
  }
  return ms;
}

/** `2026-11-16` means midnight UTC of that day. */
function dateOnly(text: string): string {
  return /^\d{4}-\d\d-\d\d$/.test(text.trim()) ? `${text.trim()}T00:00:00Z` : text;
}
