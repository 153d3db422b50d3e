/** The bucket size of a trend series: how it is named in every output, in one place. */
export type Resolution = '5min' | 'hour' | 'day';

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
  '5min': { ms: 5 * 60_000, unit: '5 minutes', adjective: '5-minute', plural: '5-minute buckets' },
  hour: { ms: 3_600_000, unit: 'hour', adjective: 'hourly', plural: 'hours' },
  day: { ms: 86_400_000, unit: 'day', adjective: 'daily', plural: 'days' },
};

/** `12 hours`, `7 days`, `24 5-minute buckets`. */
export function countOf(r: Resolution, n: number): string {
  return `${n} ${n === 1 && r !== '5min' ? RESOLUTIONS[r].unit : RESOLUTIONS[r].plural}`;
}
