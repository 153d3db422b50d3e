import { describe, expect, it } from 'vitest';
import { findChangePoint } from '../../src/analysis/stats/change-point.js';
import { gaussian, mulberry32 } from '../../fixtures/generate-log.mjs';

const sortedMedian = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/** A level series: `before` until `at`, then `after`, each point times (1 + noise·N(0,1)). */
function step(seed: number, n: number, at: number, before: number, after: number, noise: number): number[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => (i < at ? before : after) * (1 + noise * gaussian(r)));
}

describe('findChangePoint: known shifts', () => {
  it('finds 100 → 150 at index 30 of 72 with 10 % noise, reporting the segment medians', () => {
    const ys = step(1, 72, 30, 100, 150, 0.1);
    const cp = findChangePoint(ys)!;
    expect(cp.index).toBe(30);
    expect(cp.before).toBe(sortedMedian(ys.slice(0, 30)));
    expect(cp.after).toBe(sortedMedian(ys.slice(30)));
    expect(cp.score).toBeGreaterThan(10);
    expect(cp.pValue).toBeLessThan(1e-10);
  });

  it('places it within one point for 100 seeds, exactly in most', () => {
    let exact = 0;
    for (let seed = 0; seed < 100; seed++) {
      const cp = findChangePoint(step(seed, 72, 30, 100, 150, 0.1));
      expect(cp, `seed ${seed}`).not.toBeNull();
      expect(Math.abs(cp!.index - 30), `seed ${seed}`).toBeLessThanOrEqual(1);
      if (cp!.index === 30) exact++;
    }
    expect(exact).toBeGreaterThanOrEqual(85);
  });

  it('finds drops, late shifts and shifts in short daily series', () => {
    expect(findChangePoint(step(3, 72, 40, 150, 100, 0.1))?.index).toBe(40);
    expect(findChangePoint(step(4, 72, 69, 100, 150, 0.02))?.index).toBe(69); // the last 3 hours
    const week = [100, 102, 98, 150, 152, 149, 151];
    expect(findChangePoint(week)).toMatchObject({ index: 3, before: 100, after: 150.5 });
  });

  it('skips gaps and reports the index in the original series', () => {
    const ys: Array<number | null> = step(5, 48, 20, 100, 200, 0.05);
    for (const i of [2, 10, 19, 20, 21, 40]) ys[i] = null;
    const cp = findChangePoint(ys)!;
    expect(cp.index).toBe(22); // 19, 20, 21 are gaps; 22 is the first present point of the new level
    expect(cp.before).toBe(sortedMedian(ys.slice(0, 22).filter((y): y is number => y !== null)));
  });

  it('works on error-rate series that contain zeros', () => {
    const r = mulberry32(6);
    const rate = (p: number): number => {
      let e = 0;
      for (let i = 0; i < 500; i++) if (r() < p) e++;
      return e / 500;
    };
    const ys = Array.from({ length: 48 }, (_, i) => rate(i < 24 ? 0.002 : 0.05));
    expect(ys.some((y) => y === 0)).toBe(true);
    expect(findChangePoint(ys)?.index).toBe(24);
  });

  it('ignores a significant shift smaller than minRelChange, unless asked', () => {
    const ys = step(7, 72, 36, 100, 110, 0.01);
    expect(findChangePoint(ys)).toBeNull();
    expect(findChangePoint(ys, { minRelChange: 0.05 })?.index).toBe(36);
  });

  it('respects minSegment', () => {
    const ys = step(8, 72, 70, 100, 200, 0.01); // new level only in the last 2 points
    expect(findChangePoint(ys)).toBeNull();
    expect(findChangePoint(ys, { minSegment: 2 })?.index).toBe(70);
  });

  it('returns null for constant, too short or empty series', () => {
    expect(findChangePoint(Array(50).fill(42))).toBeNull();
    expect(findChangePoint([1, 2, 3, 4, 5])).toBeNull();
    expect(findChangePoint([])).toBeNull();
    expect(findChangePoint([null, null, null, null, null, null, null])).toBeNull();
  });
});

describe('findChangePoint: no false alarms on flat noisy data', () => {
  const noises: Record<string, (r: () => number) => number> = {
    'lognormal σ=0.3': (r) => 100 * Math.exp(0.3 * gaussian(r)),
    'lognormal σ=1': (r) => 100 * Math.exp(gaussian(r)),
    'gaussian 10 %': (r) => 100 * (1 + 0.1 * gaussian(r)),
    'pareto α=1.5': (r) => 100 / Math.pow(1 - r(), 1 / 1.5),
    // 5 % of hours hit by an error burst: spikes, not a level change
    'spiky error rate': (r) => (r() < 0.05 ? 0.3 + 0.3 * r() : Math.max(0, 0.02 * (1 + 0.3 * gaussian(r)))),
  };
  for (const [name, gen] of Object.entries(noises)) {
    for (const n of [7, 24, 72]) {
      it(`${name}, ${n} points, 200 seeds`, () => {
        const alarms: number[] = [];
        for (let seed = 0; seed < 200; seed++) {
          const r = mulberry32(10_000 + seed);
          if (findChangePoint(Array.from({ length: n }, () => gen(r)))) alarms.push(seed);
        }
        expect(alarms).toEqual([]);
      });
    }
  }
});
