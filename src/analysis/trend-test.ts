import type { TrendTest } from './analysis-document.js';
import { mannKendall } from './stats/mann-kendall.js';
import { median } from './stats/robust.js';
import { presentPoints } from './stats/series.js';
import { theilSen } from './stats/theil-sen.js';

export interface TrendRule {
  /** Largest Mann–Kendall p-value that counts. */
  alpha: number;
  /** Smallest change over the series (Theil–Sen slope × span), relative to the median, that counts. */
  minChange: number;
}

/**
 * Theil–Sen slope with a Mann–Kendall test over a series with gaps (null). A trend is significant when the test
 * rejects "no monotonic trend" at `alpha`, the robust slope points the same way, and the change it implies over
 * the series is not negligible next to the series' level: on hundreds of points a tiny drift is "significant" but
 * not worth a line in a report, and flat noise passes the p-value test alone `alpha` of the time.
 */
export function trendTest(metric: string, ys: ReadonlyArray<number | null>, rule: TrendRule): TrendTest | null {
  const fit = theilSen(ys);
  if (!fit) return null;
  const mk = mannKendall(ys);
  const { index, values } = presentPoints(ys);
  const med = median(values);
  const span = index[index.length - 1] - index[0];
  const change = Math.abs(fit.slope) * span;
  const large = med !== 0 ? change >= rule.minChange * Math.abs(med) : change > 0;
  const significant = mk.pValue < rule.alpha && large && Math.sign(mk.s) === Math.sign(fit.slope);
  return {
    metric,
    slopePerStep: fit.slope,
    relSlopePerStep: med !== 0 ? fit.slope / Math.abs(med) : null,
    s: mk.s,
    z: mk.z,
    pValue: mk.pValue,
    significant,
    direction: significant ? (fit.slope > 0 ? 'up' : 'down') : 'flat',
    points: fit.points,
  };
}
