import type { HourHistogram } from '../../aggregate/rollup-rows.js';
import { DAY_MS, floorTo } from '../../core/time.js';

/** Adds a batch's counts to a day_hist row, as hour_hist's are added: counts are integers, so any batching sums alike. */
export const ADD_DAY_BUCKET = `INSERT INTO day_hist VALUES (?,?,?,?,?)
  ON CONFLICT (day, op_id, source_id, bucket) DO UPDATE SET n = n + excluded.n`;

export interface DayHistogram {
  day: number;
  op: string;
  source: string;
  buckets: Map<number, number>;
}

/** A batch's hour histograms summed per (UTC day, op, source), so that each day bucket is written once. */
export function dayHistograms(hours: readonly HourHistogram[]): DayHistogram[] {
  const days = new Map<string, DayHistogram>();
  for (const h of hours) {
    const day = floorTo(h.hour, DAY_MS);
    const key = `${day}\u0000${h.op}\u0000${h.source}`;
    let d = days.get(key);
    if (!d) days.set(key, (d = { day, op: h.op, source: h.source, buckets: new Map() }));
    for (const [bucket, n] of h.buckets) d.buckets.set(bucket, (d.buckets.get(bucket) ?? 0) + n);
  }
  return [...days.values()];
}
