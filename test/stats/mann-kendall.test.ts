import { describe, expect, it } from 'vitest';
import { mannKendall } from '../../src/analysis/stats/mann-kendall.js';
import { gaussian, mulberry32 } from '../../fixtures/generate-log.mjs';

/** Two-sided normal p-value by Simpson integration of the density (independent of the code under test). */
function twoSidedPBySimpson(z: number): number {
  const a = Math.abs(z);
  const steps = 20_000;
  const h = 12 / steps;
  const phi = (t: number): number => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  let sum = phi(a) + phi(a + 12);
  for (let i = 1; i < steps; i++) sum += (i % 2 ? 4 : 2) * phi(a + i * h);
  return Math.min(1, (2 * sum * h) / 3);
}

/** Brute force S, tie groups by counting, variance and Z straight from the textbook formulas. */
function referenceMK(values: number[]): { s: number; z: number; p: number } {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += values[j] > values[i] ? 1 : values[j] < values[i] ? -1 : 0;
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) ties += t * (t - 1) * (2 * t + 5);
  const sd = Math.sqrt((n * (n - 1) * (2 * n + 5) - ties) / 18);
  const z = s === 0 ? 0 : (s - Math.sign(s)) / sd;
  return { s, z, p: twoSidedPBySimpson(z) };
}

describe('mannKendall', () => {
  it('scores a strictly rising series of five points by hand', () => {
    // S = 10 (all 10 pairs rise); Var = 5·4·15/18 = 50/3; Z = (10 − 1)/√(50/3) ≈ 2.2045; p ≈ 0.0275
    const r = mannKendall([1, 2, 3, 4, 5]);
    expect(r.s).toBe(10);
    expect(r.z).toBeCloseTo(9 / Math.sqrt(50 / 3), 12);
    expect(r.pValue).toBeCloseTo(twoSidedPBySimpson(9 / Math.sqrt(50 / 3)), 10);
    expect(r.pValue).toBeCloseTo(0.0275, 4);
    expect(r.points).toBe(5);
    const down = mannKendall([5, 4, 3, 2, 1]);
    expect(down.s).toBe(-10);
    expect(down.z).toBeCloseTo(-r.z, 12);
    expect(down.pValue).toBeCloseTo(r.pValue, 14);
  });

  it('applies the tie correction', () => {
    // [1,1,2,2,3]: S = 8 (two tied pairs score 0); ties t = 2, 2 → Σ = 2·(2·1·9) = 36; Var = (300 − 36)/18
    const r = mannKendall([1, 1, 2, 2, 3]);
    expect(r.s).toBe(8);
    expect(r.z).toBeCloseTo(7 / Math.sqrt(264 / 18), 12);
  });

  it('equals the textbook formulas on random series with ties and gaps', () => {
    const rand = mulberry32(21);
    for (let rep = 0; rep < 50; rep++) {
      const n = 3 + Math.floor(rand() * 80);
      const ys = Array.from({ length: n }, () => (rand() < 0.1 ? null : Math.floor(rand() * 8) + 0.02 * rep));
      const present = ys.filter((y): y is number => y !== null);
      const got = mannKendall(ys);
      expect(got.points).toBe(present.length);
      if (present.length < 3) continue;
      const want = referenceMK(present);
      expect(got.s).toBe(want.s);
      expect(got.z).toBeCloseTo(want.z, 12);
      expect(Math.abs(got.pValue - want.p)).toBeLessThan(1e-10);
    }
  });

  it('finds a real trend in noise and rarely one in pure noise', () => {
    const rand = mulberry32(2);
    const trend = Array.from({ length: 72 }, (_, i) => 100 + 0.5 * i + 5 * gaussian(rand));
    expect(mannKendall(trend).pValue).toBeLessThan(1e-6);
    let significant = 0;
    for (let seed = 0; seed < 200; seed++) {
      const r = mulberry32(1000 + seed);
      const flat = Array.from({ length: 72 }, () => 100 * Math.exp(0.5 * gaussian(r)));
      if (mannKendall(flat).pValue < 0.01) significant++;
    }
    expect(significant).toBeLessThanOrEqual(6); // ~1 % expected of 200
  });

  it('has nothing to test below three points or when every value is equal', () => {
    expect(mannKendall([1, 2])).toEqual({ s: 1, z: 0, pValue: 1, points: 2 });
    expect(mannKendall([null, 3, null])).toEqual({ s: 0, z: 0, pValue: 1, points: 1 });
    expect(mannKendall([4, 4, 4, 4])).toEqual({ s: 0, z: 0, pValue: 1, points: 4 });
  });
});
