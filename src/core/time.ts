import { UsageError } from '../errors.js';

/** Time steps in epoch milliseconds: the store's minute and hour keys, and window lengths. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** The start of the step (minute, hour …) that holds `ms`, also before 1970. */
export function floorTo(ms: number, step: number): number {
  return ms - (((ms % step) + step) % step);
}

export function ceilTo(ms: number, step: number): number {
  const f = floorTo(ms, step);
  return f === ms ? ms : f + step;
}

/** Windows are [from, to): one whose start is not before its end holds no instant, and is refused as a usage error. */
export function assertWindow(fromMs: number, toMs: number, what = 'the window', hint?: string): void {
  if (fromMs < toMs) return;
  const at = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));
  throw new UsageError(`${what} is empty: it starts at ${at(fromMs)} and ends at ${at(toMs)}`, hint);
}
