import { describe, expect, it } from 'vitest';
import { theilSen } from '../../src/analysis/stats/theil-sen.js';
import { gaussian, mulberry32 } from '../../fixtures/generate-log.mjs';

/** Brute force: every pairwise slope, sorted, middle taken; intercept the same way. */
function referenceTheilSen(ys: Array<number | null>, xs?: number[]): { slope: number; intercept: number } {
  const pts = ys.flatMap((y, i) => (y === null ? [] : [[xs ? xs[i] : i, y] as const]));
  const slopes: number[] = [];
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) {
      if (pts[j][0] !== pts[i][0]) slopes.push((pts[j][1] - pts[i][1]) / (pts[j][0] - pts[i][0]));
    }
  }
  const mid = (v: number[]): number => {
    const s = [...v].sort((a, b) => a - b);
    const h = s.length >> 1;
    return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
  };
  const slope = mid(slopes);
  return { slope, intercept: mid(pts.map(([x, y]) => y - slope * x)) };
}

function olsSlope(ys: number[]): number {
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, x) => {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  });
  return sxy / sxx;
}

describe('theilSen', () => {
  it('recovers an exact line', () => {
    const fit = theilSen(Array.from({ length: 20 }, (_, i) => 5 + 2 * i));
    expect(fit).toEqual({ slope: 2, intercept: 5, points: 20 });
  });

  it('ignores outliers that drag least squares away', () => {
    const r = mulberry32(11);
    const ys = Array.from({ length: 72 }, (_, i) => 100 + 0.5 * i + gaussian(r));
    for (const i of [5, 17, 33, 50, 51, 52, 60, 70]) ys[i] += 400; // 11 % of hours wildly slow, mostly late
    const fit = theilSen(ys)!;
    expect(Math.abs(fit.slope - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(fit.intercept - 100)).toBeLessThan(2);
    expect(Math.abs(olsSlope(ys) - 0.5)).toBeGreaterThan(0.5); // the contrast that makes the test meaningful
    const ref = referenceTheilSen(ys);
    expect(fit.slope).toBeCloseTo(ref.slope, 12);
    expect(fit.intercept).toBeCloseTo(ref.intercept, 9);
  });

  it('keeps gaps in place: x is the position in the series', () => {
    const ys: Array<number | null> = Array.from({ length: 30 }, (_, i) => 3 * i + 1);
    for (const i of [0, 4, 5, 6, 20]) ys[i] = null;
    expect(theilSen(ys)).toEqual({ slope: 3, intercept: 1, points: 25 });
  });

  it('uses explicit x values', () => {
    const xs = [0, 1, 5, 6, 10, 30];
    const fit = theilSen(xs.map((x) => 7 - 0.25 * x), xs)!;
    expect(fit.slope).toBe(-0.25);
    expect(fit.intercept).toBe(7);
    expect(() => theilSen([1, 2, 3], [0, 1])).toThrow(RangeError);
  });

  it('equals the brute-force estimator on random series with ties and gaps', () => {
    const r = mulberry32(5);
    for (let rep = 0; rep < 40; rep++) {
      const n = 3 + Math.floor(r() * 60);
      const ys = Array.from({ length: n }, () => (r() < 0.15 ? null : Math.round(r() * 10)));
      const fit = theilSen(ys);
      const present = ys.filter((y) => y !== null).length;
      if (present < 3) {
        expect(fit).toBeNull();
        continue;
      }
      const ref = referenceTheilSen(ys);
      expect(fit!.slope).toBeCloseTo(ref.slope, 12);
      expect(fit!.intercept).toBeCloseTo(ref.intercept, 12);
      expect(fit!.points).toBe(present);
    }
  });

  it('needs three points and distinct x values', () => {
    expect(theilSen([1, 2])).toBeNull();
    expect(theilSen([1, null, null, 2])).toBeNull();
    expect(theilSen([1, 2, 3], [4, 4, 4])).toBeNull();
  });

  it('handles 2,000 points (about 2M slopes)', () => {
    const r = mulberry32(9);
    const ys = Array.from({ length: 2000 }, (_, i) => 50 + 0.01 * i + gaussian(r));
    const fit = theilSen(ys)!;
    expect(Math.abs(fit.slope - 0.01)).toBeLessThan(0.002);
  });
});
