import { twoSidedP } from './normal-cdf.js';
import { presentPoints } from './series.js';

export interface MannKendallResult {
  /** S = Σ_{i<j} sign(yj − yi): positive for a rising series. */
  s: number;
  /** Continuity-corrected normal score of S. */
  z: number;
  /** Two-sided p-value of "no monotonic trend". */
  pValue: number;
  /** Points used (non-null y). */
  points: number;
}

/**
 * Mann–Kendall trend test over the non-null points (gaps are skipped; order is kept).
 * Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 with t the size of each group of tied values;
 * Z = (S − 1)/√Var for S > 0, (S + 1)/√Var for S < 0, 0 for S = 0; p = P(|N(0,1)| ≥ |Z|).
 * With fewer than three points (or all values tied) there is nothing to test: z = 0, p = 1.
 */
export function mannKendall(ys: ReadonlyArray<number | null>): MannKendallResult {
  const { values } = presentPoints(ys);
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    const yi = values[i];
    for (let j = i + 1; j < n; j++) s += Math.sign(values[j] - yi);
  }
  if (n < 3) return { s, z: 0, pValue: 1, points: n };

  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm(values)) / 18;
  if (variance <= 0) return { s, z: 0, pValue: 1, points: n };
  const z = s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
  return { s, z, pValue: twoSidedP(z), points: n };
}

/** Σ t(t−1)(2t+5) over groups of equal values. */
function tieTerm(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) {
      run++;
    } else {
      if (run > 1) sum += run * (run - 1) * (2 * run + 5);
      run = 1;
    }
  }
  return sum;
}
