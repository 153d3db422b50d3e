/**
 * DDSketch's logarithmic mapping (DESIGN.md "Store"): a value x > 0 goes to bucket i = ceil(ln x / ln γ) with
 * γ = (1+α)/(1−α), and bucket i stands for 2γ^i/(γ+1), which is within α of every value in the bucket.
 * Buckets are plain integers, so merging any set of hours is a sum of counts per bucket.
 */
export const SKETCH_ALPHA = 0.01;
const GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);
const LN_GAMMA = Math.log(GAMMA);

/** Durations below this (1 ns, in ms) share one bucket that stands for 0. */
export const MIN_INDEXABLE_MS = 1e-6;
export const ZERO_BUCKET = -1_000_000;

export function bucketOf(ms: number): number {
  return ms < MIN_INDEXABLE_MS ? ZERO_BUCKET : Math.ceil(Math.log(ms) / LN_GAMMA);
}

export function bucketValue(bucket: number): number {
  return bucket === ZERO_BUCKET ? 0 : (2 * Math.pow(GAMMA, bucket)) / (GAMMA + 1);
}

/** A merged histogram: bucket -> count. */
export type Buckets = Map<number, number>;

export function mergeInto(target: Buckets, bucket: number, n: number): void {
  target.set(bucket, (target.get(bucket) ?? 0) + n);
}

/**
 * Quantiles from a histogram with the same definition as the exact method (linear interpolation between the
 * closest ranks): the two order statistics around rank q·(n−1) are each read from their bucket, then
 * interpolated. Each is within α of the true order statistic, so the result is within α (relative) of the exact
 * percentile. `min`/`max`, when known exactly, bound the estimate.
 */
export function sketchQuantiles(buckets: Buckets, qs: number[], min?: number, max?: number): number[] {
  // The buckets in order and the counts up to and including each, so that each rank is found by bisection (a short
  // process reads a few hundred histograms of a few hundred buckets each: walking them per rank showed in profiles).
  const keys = [...buckets.keys()].sort((a, b) => a - b);
  const upTo = new Float64Array(keys.length);
  let n = 0;
  for (let i = 0; i < keys.length; i++) upTo[i] = n += buckets.get(keys[i])!;
  if (n === 0) return qs.map(() => NaN);
  // The bucket of the first count past `rank` (the last bucket for a rank past them all).
  const valueAtRank = (rank: number): number => {
    let lo = 0;
    let hi = keys.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rank < upTo[mid]) hi = mid;
      else lo = mid + 1;
    }
    return bucketValue(keys[lo]);
  };
  return qs.map((q) => {
    const h = q * (n - 1);
    const lo = Math.floor(h);
    const vLo = valueAtRank(lo);
    const v = lo === h ? vLo : vLo + (h - lo) * (valueAtRank(lo + 1) - vLo);
    return clamp(v, min, max);
  });
}

function clamp(v: number, min?: number, max?: number): number {
  if (min !== undefined && v < min) return min;
  if (max !== undefined && v > max) return max;
  return v;
}
