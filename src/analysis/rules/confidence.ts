/**
 * Confidence (0..1) of a finding. Below the minimum sample a rule does not fire at all; from there confidence grows
 * with the logarithm of the sample so that 10× the minimum is full confidence (0.5 at the minimum itself).
 */
export function sampleConfidence(n: number, min: number): number {
  if (!(n >= min) || min <= 0) return 0;
  return Math.min(1, 0.5 + 0.5 * Math.log10(n / min));
}

/**
 * Confidence of a trend that passed its significance test, from the Mann–Kendall p-value: 0.5 at p = 0.05 and
 * above, 1 at p ≤ 0.001, log-linear in between. Callers decide significance first; this only grades it.
 */
export function trendConfidence(pValue: number): number {
  if (!(pValue < SIGNIFICANCE)) return 0.5;
  if (pValue <= 0.001) return 1;
  return 0.5 + (0.5 * Math.log(SIGNIFICANCE / pValue)) / Math.log(SIGNIFICANCE / 0.001);
}

/** Two-sided level under which the rules' own trend tests (per-operation series) count as significant. */
export const SIGNIFICANCE = 0.05;

/**
 * One-sided 99 % z: a rate rule fires only when the whole Wilson interval is past its threshold, so a small group
 * sitting right at the threshold (report.export at 95 % success) does not raise a false alarm.
 */
export const Z_99 = 2.326;

/** Upper Wilson score bound of a proportion k/n. */
export function wilsonUpper(k: number, n: number, z = Z_99): number {
  if (n <= 0) return 1;
  const p = k / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.min(1, (centre + spread) / (1 + z2 / n));
}
