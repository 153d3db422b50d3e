import { describe, expect, it } from 'vitest';
import { quantileSorted, quantiles } from '../../src/analysis/stats/percentile.js';
import { gaussian, mulberry32 } from '../../fixtures/generate-log.mjs';

/** Independent reference: the (1 − f)·a + f·b form of "linear between closest ranks" on a plainly sorted copy. */
function referenceQuantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const i = Math.floor(pos);
  const j = Math.min(i + 1, s.length - 1);
  const f = pos - i;
  return (1 - f) * s[i] + f * s[j];
}

function skewedSamples(seed: number, n: number): Record<string, number[]> {
  const r = mulberry32(seed);
  return {
    lognormal: Array.from({ length: n }, () => 50 * Math.exp(0.8 * gaussian(r))),
    bimodal: Array.from({ length: n }, () => (r() < 0.7 ? 20 + 3 * gaussian(r) : 900 + 100 * gaussian(r))),
    heavyTail: Array.from({ length: n }, () => 10 / Math.pow(1 - r(), 1 / 1.2)),
  };
}

const QS = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

describe('quantiles (linear interpolation between closest ranks)', () => {
  it('matches values worked out by hand with numpy’s default method', () => {
    // numpy.quantile([1,2,3,4], 0.95): h = 0.95·3 = 2.85 → 3 + 0.85·(4 − 3)
    expect(quantiles([1, 2, 3, 4], [0.95])[0]).toBeCloseTo(3.85, 12);
    expect(quantiles([4, 1, 3, 2], [0.5])[0]).toBe(2.5);
    // numpy.percentile([15, 20, 35, 40, 50], 40): h = 1.6 → 20 + 0.6·15 = 29
    expect(quantiles([15, 20, 35, 40, 50], [0.4])[0]).toBeCloseTo(29, 12);
    expect(quantiles([15, 20, 35, 40, 50], [0, 1])).toEqual([15, 50]);
  });

  it('sorts numerically, not as strings', () => {
    // As strings the order would be 10, 100, 2, 9 and the median 51.
    expect(quantiles([10, 9, 100, 2], [0.5])[0]).toBe(9.5);
  });

  it('equals a brute-force reference on skewed data of many sizes', () => {
    for (const n of [1, 2, 3, 10, 99, 1000, 2501]) {
      for (const [name, values] of Object.entries(skewedSamples(n, n))) {
        const got = quantiles(values, QS);
        QS.forEach((q, i) => {
          const want = referenceQuantile(values, q);
          expect(Math.abs(got[i] - want), `${name} n=${n} q=${q}`).toBeLessThanOrEqual(Math.abs(want) * 1e-12);
        });
      }
    }
  });

  it('lands exactly on an order statistic when q·(n−1) is an integer', () => {
    const values = skewedSamples(7, 101).lognormal;
    const sorted = [...values].sort((a, b) => a - b);
    for (const i of [0, 1, 50, 99, 100]) expect(quantiles(values, [i / 100])[0]).toBe(sorted[i]);
  });

  it('does not modify its input', () => {
    const values = [3, 1, 2];
    quantiles(values, [0.5]);
    expect(values).toEqual([3, 1, 2]);
  });

  it('gives NaN for no values and rejects q outside [0, 1]', () => {
    expect(quantiles([], [0.5])[0]).toBeNaN();
    expect(quantileSorted([], 0.99)).toBeNaN();
    expect(() => quantileSorted([1, 2], 1.5)).toThrow(RangeError);
    expect(() => quantileSorted([1, 2], -0.1)).toThrow(RangeError);
    expect(() => quantileSorted([1, 2], NaN)).toThrow(RangeError);
  });

  it('accepts a Float64Array and a single value', () => {
    expect(quantileSorted(new Float64Array([1, 2, 3, 4]), 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileSorted([42], 0.99)).toBe(42);
  });
});
