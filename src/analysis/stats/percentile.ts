/**
 * Exact percentiles with linear interpolation between the closest ranks: the definition of numpy's default,
 * DuckDB's quantile_cont and k6, and the one sketchQuantiles approximates. For q the value sits at rank
 * h = q·(n−1) (0-based) and is interpolated between x[floor(h)] and the next order statistic.
 */

/** q-quantile of an ascending array. NaN for an empty array; throws a RangeError when q is outside [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: expected q in [0, 1], got ${q}`);
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = q * (n - 1);
  const lo = Math.floor(h);
  const frac = h - lo;
  const a = sorted[lo];
  // frac is 0 at the top rank (lo = n−1) and for exact ranks; skipping the lerp there also keeps ±Infinity exact.
  if (frac === 0 || lo + 1 >= n) return a;
  const b = sorted[lo + 1];
  return a === b ? a : a + frac * (b - a);
}

/**
 * Several quantiles of unsorted values; sorts one copy. A Float64Array sorts numerically (Array#sort would compare
 * strings) and faster than a boxed array. Values are expected to be finite numbers.
 */
export function quantiles(values: readonly number[], qs: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return qs.map((q) => quantileSorted(sorted, q));
}
