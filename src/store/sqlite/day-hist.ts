import type { HourHistogram } from '../../aggregate/rollup-rows.js';
import { DAY_MS, floorTo } from '../../core/time.js';
import type { Db } from './open-store.js';

export interface DayHistogram {
  day: number;
  op: string;
  source: string;
  buckets: Map<number, number>;
}

/** A batch's hour histograms summed per (UTC day, op, source). */
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

/**
 * Adds a batch's counts to day_hist rows: each row is read, merged and written back whole, its buckets in
 * ascending order (counts are integers, so a row is the same however its lines were batched).
 */
export class DayHistWriter {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      get: db.prepare('SELECT buckets, counts FROM day_hist WHERE day = ? AND op_id = ? AND source_id = ?').raw(),
      put: db.prepare('INSERT OR REPLACE INTO day_hist VALUES (?, ?, ?, ?, ?)'),
    };
  }

  add(day: number, op: number, source: number, buckets: ReadonlyMap<number, number>): void {
    const merged = new Map(buckets);
    const row = this.stmt.get.get(day, op, source) as [string, string] | undefined;
    if (row) {
      const [bs, ns] = [JSON.parse(row[0]) as number[], JSON.parse(row[1]) as number[]];
      for (let i = 0; i < bs.length; i++) merged.set(bs[i], (merged.get(bs[i]) ?? 0) + ns[i]);
    }
    const order = [...merged.keys()].sort((a, b) => a - b);
    this.stmt.put.run(day, op, source, JSON.stringify(order), JSON.stringify(order.map((b) => merged.get(b))));
  }
}
