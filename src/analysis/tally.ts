import type { Gauge, MinuteRow } from '../aggregate/rollup-batch.js';
import type { MinuteTotals } from '../store/queries.js';

/** Additive totals of one group over a window: minute rollups and raw-edge rollups are summed into it. */
export type Tally = Omit<MinuteTotals, 'group'>;

export function emptyTally(): Tally {
  const g = (): Gauge => ({ max: -Infinity, sum: 0, n: 0 });
  return {
    count: 0, okCount: 0, errorCount: 0, timeoutCount: 0, durCount: 0, durSum: 0, durMin: Infinity, durMax: -Infinity,
    retriesSum: 0, retriedCount: 0, memory: g(), cpu: g(), concurrency: g(), peakCount: 0, peakMinute: null,
  };
}

/** Adds a store row or a rollup row (both carry the same sums); peaks are noted separately. */
export function addRow(t: Tally, r: MinuteRow | MinuteTotals): void {
  t.count += r.count;
  t.okCount += r.okCount;
  t.errorCount += r.errorCount;
  t.timeoutCount += r.timeoutCount;
  t.durCount += r.durCount;
  t.durSum += r.durSum;
  t.durMin = Math.min(t.durMin, r.durMin);
  t.durMax = Math.max(t.durMax, r.durMax);
  t.retriesSum += r.retriesSum;
  t.retriedCount += r.retriedCount;
  addGauge(t.memory, r.memory);
  addGauge(t.cpu, r.cpu);
  addGauge(t.concurrency, r.concurrency);
}

/** The busiest minute wins; on a tie the earlier one, so results do not depend on read order. */
export function notePeak(t: Tally, count: number, minute: number | null): void {
  if (minute === null) return;
  if (count > t.peakCount || (count === t.peakCount && t.peakMinute !== null && minute < t.peakMinute)) {
    t.peakCount = count;
    t.peakMinute = minute;
  }
}

function addGauge(into: Gauge, g: Gauge): void {
  into.max = Math.max(into.max, g.max);
  into.sum += g.sum;
  into.n += g.n;
}
