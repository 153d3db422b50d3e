import { studentTTwoSidedP } from './student-t.js';

/**
 * A run of observations summarised by its count, sum and sum of squares: one event (n = 1, its value), or one
 * minute of a rollup (n = events, sum = failures, sumSq = failures for a 0/1 failure indicator).
 */
export interface WeightedPoint {
  n: number;
  sum: number;
  sumSq: number;
}

export interface MeanShift {
  /** Position of the first point of the new level. */
  index: number;
  /** Means of the observations before and from `index`. */
  before: number;
  after: number;
  /** Pooled two-sample t of the split. */
  t: number;
  /** Two-sided p-value times the number of splits tried (Bonferroni), capped at 1. */
  pValue: number;
}

export interface MeanShiftOptions {
  /** 'up': only a rise counts (a slowdown, more failures); 'any': either way. */
  direction: 'up' | 'any';
  /** Fewest observations on each side (default 5). */
  minObservations?: number;
}

/**
 * The single split of a sequence of weighted points that best separates two levels of the mean (largest pooled
 * t), as findChangePoint does for a series of buckets, but over observations: with one point per event or per
 * minute it places a change to the minute, where a bucketed series only knows the bucket. Pooling keeps a short,
 * tight edge segment from winning by its small variance alone. Null when fewer than two sides of
 * `minObservations` exist or nothing varies.
 */
export function meanShift(points: readonly WeightedPoint[], opts: MeanShiftOptions): MeanShift | null {
  const minObs = opts.minObservations ?? 5;
  let N = 0;
  let S = 0;
  let Q = 0;
  for (const p of points) {
    N += p.n;
    S += p.sum;
    Q += p.sumSq;
  }
  if (N < 2 * minObs || N < 3) return null;
  // Centre the sums on the overall mean so large, flat values do not cancel catastrophically.
  const mu = S / N;
  const totalQ = Q - 2 * mu * S + N * mu * mu;
  let best: { index: number; t: number; before: number; after: number } | null = null;
  let splits = 0;
  let nl = 0;
  let sl = 0;
  let ql = 0;
  for (let k = 1; k < points.length; k++) {
    const p = points[k - 1];
    nl += p.n;
    sl += p.sum - mu * p.n;
    ql += p.sumSq - 2 * mu * p.sum + mu * mu * p.n;
    const nr = N - nl;
    if (nl < minObs || nr < minObs || points[k].n === 0) continue;
    splits++;
    const sr = -sl; // centred sums total zero
    const qr = totalQ - ql;
    const within = Math.max(0, ql - (sl * sl) / nl + qr - (sr * sr) / nr);
    const diff = sr / nr - sl / nl;
    const se = Math.sqrt((within / (N - 2)) * (1 / nl + 1 / nr));
    const t = se > 0 ? diff / se : diff !== 0 ? Math.sign(diff) * Infinity : 0;
    const score = opts.direction === 'up' ? t : Math.abs(t);
    if (score > 0 && (best === null || score > (opts.direction === 'up' ? best.t : Math.abs(best.t)))) {
      best = { index: k, t, before: mu + sl / nl, after: mu + sr / nr };
    }
  }
  if (best === null) return null;
  const pValue = Math.min(1, studentTTwoSidedP(best.t, N - 2) * splits);
  return { ...best, pValue };
}
