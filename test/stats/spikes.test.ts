import { describe, expect, it } from 'vitest';
import { findSpikes } from '../../src/analysis/stats/spikes.js';
import { mulberry32 } from '../../fixtures/generate-log.mjs';

type Bucket = { count: number; errorCount: number };

/** Hourly buckets of `count` requests, each failing with probability `p` (binomial by direct simulation). */
function hours(seed: number, n: number, count: number, p: number): Bucket[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => {
    let errorCount = 0;
    for (let i = 0; i < count; i++) if (r() < p) errorCount++;
    return { count, errorCount };
  });
}

const sortedMedian = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

describe('findSpikes', () => {
  it('finds an hour whose error rate is far above the typical hour', () => {
    const points = hours(1, 48, 1000, 0.02);
    points[20] = { count: 1000, errorCount: 150 };
    const typical = sortedMedian(points.map((p) => p.errorCount / p.count));
    expect(findSpikes(points)).toEqual([{ index: 20, errorRate: 0.15, typicalErrorRate: typical }]);
  });

  it('returns several spikes in hour order, the typical rate unmoved by them', () => {
    const points = hours(2, 72, 800, 0.01);
    for (const i of [60, 3, 41]) points[i] = { count: 800, errorCount: 400 };
    const spikes = findSpikes(points);
    expect(spikes.map((s) => s.index)).toEqual([3, 41, 60]);
    expect(spikes[0].typicalErrorRate).toBeLessThan(0.02);
  });

  it('never calls a handful of failures a spike, however high the rate', () => {
    const points = hours(3, 24, 1000, 0.01);
    points[5] = { count: 12, errorCount: 9 }; // 75 % of a quiet hour, but only 9 failures
    expect(findSpikes(points)).toEqual([]);
    points[5] = { count: 12, errorCount: 10 };
    expect(findSpikes(points).map((s) => s.index)).toEqual([5]);
    expect(findSpikes(points, { minErrors: 11 })).toEqual([]);
  });

  it('needs the rate to clear all three floors: factor, 6·MAD and +5 points', () => {
    // typical 2 %: 3× = 6 %, +5 points = 7 % → an hour at 6.5 % is not a spike, 7 % is
    const flat = (rate: number): Bucket[] => Array.from({ length: 24 }, () => ({ count: 1000, errorCount: rate * 1000 }));
    const points = flat(0.02);
    points[10] = { count: 1000, errorCount: 65 };
    expect(findSpikes(points)).toEqual([]);
    points[10] = { count: 1000, errorCount: 70 };
    expect(findSpikes(points).map((s) => s.index)).toEqual([10]);
    // typical 10 %: 3× = 30 % → 25 % is not a spike; with factor 2 it is
    const busy = flat(0.1);
    busy[4] = { count: 1000, errorCount: 250 };
    expect(findSpikes(busy)).toEqual([]);
    expect(findSpikes(busy, { factor: 2 }).map((s) => s.index)).toEqual([4]);
  });

  it('raises the bar for windows whose error rate swings a lot (MAD term)', () => {
    // alternating 2 % / 12 % hours: median 7 %, MAD 5 % → bar = 7 % + 30 % = 37 %, above 3× = 21 %
    const points: Bucket[] = Array.from({ length: 24 }, (_, i) => ({ count: 1000, errorCount: i % 2 ? 120 : 20 }));
    points[9] = { count: 1000, errorCount: 300 };
    expect(findSpikes(points)).toEqual([]);
    points[9] = { count: 1000, errorCount: 380 };
    expect(findSpikes(points).map((s) => s.index)).toEqual([9]);
  });

  it('leaves empty hours out of the typical rate and never reports them', () => {
    const points: Bucket[] = [
      ...Array.from({ length: 10 }, () => ({ count: 0, errorCount: 0 })),
      ...Array.from({ length: 5 }, () => ({ count: 100, errorCount: 1 })),
      { count: 100, errorCount: 40 },
    ];
    expect(findSpikes(points)).toEqual([{ index: 15, errorRate: 0.4, typicalErrorRate: 0.01 }]);
    expect(findSpikes([{ count: 0, errorCount: 0 }])).toEqual([]);
    expect(findSpikes([])).toEqual([]);
  });

  it('finds nothing in 200 seeds of steady binomial noise', () => {
    const alarms: number[] = [];
    for (let seed = 0; seed < 200; seed++) {
      if (findSpikes(hours(500 + seed, 48, 300, 0.03)).length > 0) alarms.push(seed);
    }
    expect(alarms).toEqual([]);
  });
});
