import type { AnalysisDocument, TrendTest } from '../analysis-document.js';
import { mannKendall, type MannKendallResult } from '../stats/mann-kendall.js';
import { median } from '../stats/robust.js';
import { presentPoints } from '../stats/series.js';
import { theilSen } from '../stats/theil-sen.js';

export interface LevelChange {
  /** Median of the first and of the last third of the present points. */
  before: number;
  after: number;
  /** (after − before) / before; null when before is 0. */
  rel: number | null;
  /** Theil–Sen slope per series step. */
  slopePerStep: number;
  mk: MannKendallResult;
  points: number;
}

/** Fewer points than this leave thirds of one point each: no level to compare. */
const MIN_POINTS = 5;

/**
 * How far a series moved across the window, judged robustly: the Mann–Kendall test says whether it moved at all,
 * and the medians of the first and last thirds say by how much (a slope times the length overstates the change of
 * a series that rose and then flattened, and one outlier bucket cannot move a median).
 */
export function levelChange(ys: ReadonlyArray<number | null>): LevelChange | null {
  const { values } = presentPoints(ys);
  const n = values.length;
  if (n < MIN_POINTS) return null;
  const third = Math.floor(n / 3);
  const before = median(values.slice(0, third));
  const after = median(values.slice(n - third));
  const fit = theilSen(ys);
  return {
    before,
    after,
    rel: before > 0 ? (after - before) / before : null,
    slopePerStep: fit?.slope ?? 0,
    mk: mannKendall(ys),
    points: n,
  };
}

/**
 * The analysis's own trend test of a window series (`p95`, `errorRate`, `throughput`, `memoryMb`): rules about the
 * whole window use it, so a report never calls memory flat in its trends and leaking in its recommendations.
 */
export function windowTrend(doc: AnalysisDocument, metric: string): TrendTest | undefined {
  return doc.trends.tests.find((t) => t.metric === metric);
}

/** True when the window's trend of a metric is significant and upward. */
export function risingTrend(doc: AnalysisDocument, metric: string): TrendTest | null {
  const t = windowTrend(doc, metric);
  return t && t.significant && t.direction === 'up' ? t : null;
}
