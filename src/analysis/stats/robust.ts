/**
 * Robust location and spread. `medianInPlace` uses selection (O(n) expected) instead of a sort because Theil–Sen
 * takes the median of up to ~2M pairwise slopes.
 */

/**
 * Hoare/Wirth selection: rearranges a[0, len) so that a[k] holds the k-th smallest value, everything before it is
 * <= a[k] and everything after it is >= a[k]. The pivot is the current a[k], which behaves well on sorted, reversed
 * and heavily tied input (equal values are split evenly, so an all-equal array does not degrade to O(n²)).
 */
function selectInPlace(a: Float64Array, k: number, len: number): number {
  let l = 0;
  let r = len - 1;
  while (l < r) {
    const x = a[k];
    let i = l;
    let j = r;
    do {
      while (a[i] < x) i++;
      while (x < a[j]) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) l = i;
    if (k < i) r = j;
  }
  return a[k];
}

/** Median of a[0, len) (mean of the two middle values when len is even); reorders `a`. NaN when len is 0. */
export function medianInPlace(a: Float64Array, len: number = a.length): number {
  if (len === 0) return NaN;
  const half = len >>> 1;
  const upper = selectInPlace(a, half, len);
  if (len % 2 === 1) return upper;
  // After selection every value left of `half` is <= upper, so the lower middle is their maximum.
  let lower = a[0];
  for (let i = 1; i < half; i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

/** Median (mean of the two middle values for an even count). NaN for an empty input. Does not modify `values`. */
export function median(values: readonly number[]): number {
  return medianInPlace(Float64Array.from(values));
}

/**
 * Median absolute deviation from the median, unscaled (multiply by 1.4826 for a normal σ estimate).
 * NaN for an empty input.
 */
export function mad(values: readonly number[]): number {
  const m = median(values);
  const dev = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) dev[i] = Math.abs(values[i] - m);
  return medianInPlace(dev);
}

/** MAD × this estimates σ for normally distributed data (1/Φ⁻¹(3/4)). */
export const MAD_TO_SIGMA = 1.482602218505602;

/**
 * Values clipped to median ± k·σ̂ with σ̂ = 1.4826·MAD, so a few wild points cannot dominate a mean or variance.
 * Returned unchanged (as a copy) when the MAD is 0, i.e. when more than half the values are equal.
 */
export function winsorize(values: readonly number[], k: number): number[] {
  const m = median(values);
  const spread = k * MAD_TO_SIGMA * mad(values);
  if (!(spread > 0)) return values.slice();
  return values.map((v) => Math.min(m + spread, Math.max(m - spread, v)));
}
