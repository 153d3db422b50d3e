import { describe, expect, it } from 'vitest';
import { MAD_TO_SIGMA, mad, median, medianInPlace, winsorize } from '../../src/analysis/stats/robust.js';
import { mulberry32 } from '../../fixtures/generate-log.mjs';

function sortedMedian(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('equals the sort-based median on random data with many ties', () => {
    const r = mulberry32(3);
    for (let n = 1; n <= 60; n++) {
      for (let rep = 0; rep < 20; rep++) {
        const values = Array.from({ length: n }, () => Math.floor(r() * (rep % 2 ? 5 : 1000)));
        expect(median(values), `n=${n}`).toBe(sortedMedian(values));
      }
    }
  });

  // A pivot that degrades on these (quadratic: 4e10 steps) would not finish within the test's timeout.
  it('handles sorted, reversed and all-equal inputs of 200,000 values', () => {
    const n = 200_000;
    const up = Float64Array.from({ length: n }, (_, i) => i);
    const down = Float64Array.from({ length: n }, (_, i) => n - i);
    const flat = new Float64Array(n).fill(4);
    expect(medianInPlace(up)).toBe((n / 2 - 1 + n / 2) / 2);
    expect(medianInPlace(down)).toBe((n / 2 + n / 2 + 1) / 2);
    expect(medianInPlace(flat)).toBe(4);
  });

  it('only looks at the first len values when given a length', () => {
    expect(medianInPlace(new Float64Array([9, 1, 5, 1000, 1000]), 3)).toBe(5);
  });
});

describe('mad and winsorize', () => {
  it('computes the unscaled median absolute deviation', () => {
    // median 2; |deviations| = 1,1,0,0,2,4,7 → median 1
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    expect(mad([3, 3, 3])).toBe(0);
    expect(mad([])).toBeNaN();
  });

  it('clips to median ± k·1.4826·MAD and leaves the rest alone', () => {
    const values = [1, 1, 2, 2, 4, 6, 9, -50];
    const m = sortedMedian(values);
    const s = 1.4826 * sortedMedian(values.map((v) => Math.abs(v - m)));
    const got = winsorize(values, 2);
    values.forEach((v, i) => expect(got[i]).toBeCloseTo(Math.min(m + 2 * s, Math.max(m - 2 * s, v)), 3));
    expect(MAD_TO_SIGMA).toBeCloseTo(1.4826, 4);
  });

  it('returns an unchanged copy when the MAD is 0', () => {
    const values = [0, 0, 0, 0, 0.5];
    const got = winsorize(values, 4);
    expect(got).toEqual(values);
    expect(got).not.toBe(values);
  });
});
