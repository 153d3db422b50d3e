import { medianInPlace } from './robust.js';
import { presentPoints } from './series.js';

export interface TheilSenFit {
  /** Median of the pairwise slopes, in y units per x unit (per series step when x is the index). */
  slope: number;
  /** Median of y − slope·x (Conover's estimator), so the line passes through the data's middle. */
  intercept: number;
  /** Points used (non-null y). */
  points: number;
}

/** Below three points the median slope is just one or two pairs, too few to call a trend. */
const MIN_POINTS = 3;

/**
 * Theil–Sen robust line: the median of the slopes (yj − yi)/(xj − xi) over all pairs i < j with xi ≠ xj. Up to
 * 29 % of the points can be arbitrary outliers without moving it. x defaults to the position in `ys`, so gaps
 * (null) keep their place in time. Returns null when fewer than three points remain or all x are equal.
 * O(n²) memory/time in the number of pairs: 2,000 points is ~2M slopes in a Float64Array and a linear selection.
 */
export function theilSen(ys: ReadonlyArray<number | null>, xs?: readonly number[]): TheilSenFit | null {
  if (xs && xs.length !== ys.length) {
    throw new RangeError(`theilSen: xs has ${xs.length} values but ys has ${ys.length}`);
  }
  const { index, values } = presentPoints(ys);
  const n = values.length;
  if (n < MIN_POINTS) return null;
  const x = index.map((i) => (xs ? xs[i] : i));

  const slopes = new Float64Array((n * (n - 1)) / 2);
  let m = 0;
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i];
    const yi = values[i];
    for (let j = i + 1; j < n; j++) {
      const dx = x[j] - xi;
      if (dx !== 0) slopes[m++] = (values[j] - yi) / dx;
    }
  }
  if (m === 0) return null;
  const slope = medianInPlace(slopes, m);

  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = values[i] - slope * x[i];
  return { slope, intercept: medianInPlace(residuals), points: n };
}
