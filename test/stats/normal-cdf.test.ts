import { describe, expect, it } from 'vitest';
import { erf, erfc, normalCdf, twoSidedP } from '../../src/analysis/stats/normal-cdf.js';

const phi = (t: number): number => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);

/** Upper tail P(Z ≥ z) by composite Simpson's rule over [z, z + 12] (what lies beyond is < e^-72 of the rest). */
function upperTailBySimpson(z: number): number {
  const steps = 20_000;
  const h = 12 / steps;
  let sum = phi(z) + phi(z + 12);
  for (let i = 1; i < steps; i++) sum += (i % 2 ? 4 : 2) * phi(z + i * h);
  return (sum * h) / 3;
}

describe('erf / erfc', () => {
  it('matches published values to ~1e-15 relative', () => {
    const table: Array<[number, number]> = [
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
    ];
    for (const [x, want] of table) {
      expect(erf(x)).toBeCloseTo(want, 15);
      expect(erf(-x)).toBeCloseTo(-want, 15);
    }
    const tails: Array<[number, number]> = [
      [1, 0.15729920705028513],
      [3, 2.209049699858544e-5],
      [5, 1.5374597944280349e-12],
      [10, 2.088487583762545e-45],
    ];
    for (const [x, want] of tails) expect(Math.abs(erfc(x) / want - 1), `erfc(${x})`).toBeLessThan(1e-12);
    expect(erf(0)).toBe(0);
    expect(erfc(0)).toBe(1);
    expect(erfc(-3)).toBeCloseTo(2 - 2.209049699858544e-5, 15);
    expect(erfc(NaN)).toBeNaN();
  });

  it('is continuous where it switches from the series to the continued fraction', () => {
    const below = erfc(2 - 1e-12);
    const above = erfc(2);
    expect(Math.abs(below - above)).toBeLessThan(1e-13);
  });
});

describe('normalCdf and twoSidedP', () => {
  it('agree with numerical integration of the density across the range, tails included', () => {
    for (let z = 0; z <= 8; z += 0.25) {
      const tail = upperTailBySimpson(z);
      expect(Math.abs(1 - normalCdf(z) - tail), `z=${z}`).toBeLessThan(1e-12);
      // relative accuracy where p-values live: P(Z ≤ −z) is the same tail
      expect(Math.abs(normalCdf(-z) / tail - 1), `z=${-z}`).toBeLessThan(1e-9);
      expect(Math.abs(twoSidedP(z) / (2 * tail) - 1), `p(${z})`).toBeLessThan(1e-9);
      expect(twoSidedP(-z)).toBe(twoSidedP(z));
    }
  });

  it('gives the textbook values', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300946, 16);
    expect(twoSidedP(0)).toBe(1);
  });
});
