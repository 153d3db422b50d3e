import { emptySums } from '../aggregate/rollup-rows.js';
import type { MinuteTotals } from '../store/queries.js';

/** Additive totals of one group over a window: minute rollups and raw-edge rollups are summed into it (addSums). */
export type Tally = Omit<MinuteTotals, 'group'>;

export function emptyTally(): Tally {
  return { ...emptySums(), peakCount: 0, peakMinute: null };
}

/** The busiest minute wins; on a tie the earlier one, so results do not depend on read order. */
export function notePeak(t: Tally, count: number, minute: number | null): void {
  if (minute === null) return;
  if (count > t.peakCount || (count === t.peakCount && t.peakMinute !== null && minute < t.peakMinute)) {
    t.peakCount = count;
    t.peakMinute = minute;
  }
}
