import { DAY_MS, HOUR_MS, MINUTE_MS } from '../core/time.js';

/** The bucket size of a trend series: how it is named in every output, in one place. */
export type Resolution = '5min' | '15min' | '30min' | 'hour' | 'day';

interface ResolutionInfo {
  ms: number;
  /** "hour": per hour, one hour. */
  unit: string;
  /** "hourly": the series' adjective. */
  adjective: string;
  /** "hours": n of them. */
  plural: string;
}

export const RESOLUTIONS: Record<Resolution, ResolutionInfo> = {
  '5min': { ms: 5 * MINUTE_MS, unit: '5 minutes', adjective: '5-minute', plural: '5-minute buckets' },
  '15min': { ms: 15 * MINUTE_MS, unit: '15 minutes', adjective: '15-minute', plural: '15-minute buckets' },
  '30min': { ms: 30 * MINUTE_MS, unit: '30 minutes', adjective: '30-minute', plural: '30-minute buckets' },
  hour: { ms: HOUR_MS, unit: 'hour', adjective: 'hourly', plural: 'hours' },
  day: { ms: DAY_MS, unit: 'day', adjective: 'daily', plural: 'days' },
};

/** `12 hours`, `7 days`, `24 5-minute buckets`. */
export function countOf(r: Resolution, n: number): string {
  return `${n} ${n === 1 && !r.endsWith('min') ? RESOLUTIONS[r].unit : RESOLUTIONS[r].plural}`;
}
