import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, QS, T0, inWindow, lognormal, normal, refQuantile, relErr, rng, run, sortedDurations, storeWith, type Ev, type Store } from './fixture.js';

// Three skewed shapes of 3,000 events each over two whole days, plus a few failures and resources, so the sketch
// path (whole hours), the mixed path (raw edges) and the exact path can all be checked against the raw values.
const FROM = T0;
const TO = T0 + 2 * DAY;
const r = rng(7);
const shapes: Record<string, () => number> = {
  lognormal: () => lognormal(r, 50, 1),
  bimodal: () => (r() < 0.7 ? Math.abs(20 + 3 * normal(r)) + 0.1 : Math.abs(800 + 100 * normal(r))),
  heavy: () => 10 / Math.pow(1 - r(), 1 / 1.2), // Pareto, alpha 1.2: a very long tail
};
const events: Ev[] = [];
for (const [op, draw] of Object.entries(shapes)) {
  for (let i = 0; i < 3000; i++) {
    const ok = r() > 0.03;
    events.push({
      ts: FROM + Math.floor(r() * (TO - FROM)), op, duration: Math.round(draw() * 1000) / 1000, ok,
      category: ok ? undefined : r() < 0.5 ? 'timeout' : 'connection', memoryMb: 300 + Math.floor(r() * 500),
      concurrency: 1 + Math.floor(r() * 8), retries: r() < 0.1 ? 1 + Math.floor(r() * 3) : undefined,
    });
  }
}
// The first and the last millisecond of the window hold an event, so the data covers the whole window.
events.push({ ts: FROM, op: 'lognormal', duration: 42 }, { ts: TO - 1, op: 'heavy', duration: 11 });

let s: Store;
beforeAll(async () => {
  s = await storeWith(events);
});
afterAll(() => s.close());

function expectWithinSketchBound(actual: number | null, ref: number): void {
  expect(actual).not.toBeNull();
  expect(relErr(actual as number, ref)).toBeLessThanOrEqual(0.01 + 1e-12);
}

describe('percentiles and totals over whole hours (sketch)', () => {
  it('keeps every percentile of skewed groups within 1 % of the exact value', () => {
    const doc = run(s, { fromMs: FROM, toMs: TO });
    expect(doc.method.percentiles).toBe('sketch');
    expect(doc.method.relativeError).toBe(0.01);
    for (const op of Object.keys(shapes)) {
      const g = doc.operations.find((x) => x.op === op)!;
      const sorted = sortedDurations(events.filter((e) => e.op === op));
      expect(g.count).toBe(sorted.length);
      for (const [k, q] of QS) expectWithinSketchBound(g[k], refQuantile(sorted, q));
    }
    const all = sortedDurations(events);
    for (const [k, q] of QS) expectWithinSketchBound(doc.overall[k], refQuantile(all, q));
  });

  it('counts, rates, mean, extremes, retries and resources are exact', () => {
    const doc = run(s, { fromMs: FROM, toMs: TO });
    for (const op of Object.keys(shapes)) {
      const mine = events.filter((e) => e.op === op);
      const g = doc.operations.find((x) => x.op === op)!;
      const failed = mine.filter((e) => e.ok === false);
      expect(g.errorCount).toBe(failed.length);
      expect(g.okCount).toBe(mine.length - failed.length);
      expect(g.timeoutCount).toBe(failed.filter((e) => e.category === 'timeout').length);
      expect(g.successRate).toBeCloseTo((mine.length - failed.length) / mine.length, 12);
      expect(g.timeoutRate).toBeCloseTo(g.timeoutCount / mine.length, 12);
      expect(g.mean).toBeCloseTo(mine.reduce((a, e) => a + e.duration, 0) / mine.length, 9);
      expect(g.min).toBe(Math.min(...mine.map((e) => e.duration)));
      expect(g.max).toBe(Math.max(...mine.map((e) => e.duration)));
      const retried = mine.filter((e) => (e.retries ?? 0) > 0);
      expect(g.retryRate).toBeCloseTo(retried.length / mine.length, 12);
      expect(g.retriesPerEvent).toBeCloseTo(retried.reduce((a, e) => a + (e.retries ?? 0), 0) / mine.length, 12);
      const mem = mine.filter((e) => e.memoryMb !== undefined).map((e) => e.memoryMb!);
      expect(g.resources.memoryMb?.max).toBe(Math.max(...mem));
      expect(g.resources.memoryMb?.mean).toBeCloseTo(mem.reduce((a, b) => a + b, 0) / mem.length, 9);
    }
    expect(doc.overall.count).toBe(events.length);
    expect(doc.overall.throughput.meanPerMin).toBeCloseTo(events.length / ((TO - FROM) / MINUTE), 9);
    const perMinute = new Map<number, number>();
    for (const e of events) perMinute.set(e.ts - (e.ts % MINUTE), (perMinute.get(e.ts - (e.ts % MINUTE)) ?? 0) + 1);
    const peak = Math.max(...perMinute.values());
    expect(doc.overall.throughput.peakPerMin).toBe(peak);
    expect(perMinute.get(doc.overall.throughput.peakMinute!)).toBe(peak);
  });

  it('--exact equals the reference computed from the raw values', () => {
    const doc = run(s, { fromMs: FROM, toMs: TO, exact: true });
    expect(doc.method.percentiles).toBe('exact');
    expect(doc.method.relativeError).toBe(0);
    for (const op of Object.keys(shapes)) {
      const g = doc.operations.find((x) => x.op === op)!;
      const sorted = sortedDurations(events.filter((e) => e.op === op));
      for (const [k, q] of QS) expect(g[k]).toBeCloseTo(refQuantile(sorted, q), 9);
    }
    const all = sortedDurations(events);
    for (const [k, q] of QS) expect(doc.overall[k]).toBeCloseTo(refQuantile(all, q), 9);
  });
});

describe('window edges', () => {
  // Not on hour (or minute) boundaries: the partial hours are read from raw events.
  const from = FROM + 5 * HOUR + 30 * MINUTE + 12_345;
  const to = FROM + 41 * HOUR + 15 * MINUTE + 500;

  it('counts exactly the events in [from, to) and keeps the 1 % bound with raw edges (mixed)', () => {
    const doc = run(s, { fromMs: from, toMs: to });
    const mine = inWindow(events, from, to);
    expect(doc.method.percentiles).toBe('mixed');
    expect(doc.method.description).toMatch(/partial hours/);
    expect(doc.overall.count).toBe(mine.length);
    expect(doc.overall.errorCount).toBe(mine.filter((e) => e.ok === false).length);
    expect(doc.overall.min).toBe(Math.min(...mine.map((e) => e.duration)));
    expect(doc.overall.max).toBe(Math.max(...mine.map((e) => e.duration)));
    const sorted = sortedDurations(mine);
    for (const [k, q] of QS) expectWithinSketchBound(doc.overall[k], refQuantile(sorted, q));
    const exact = run(s, { fromMs: from, toMs: to, exact: true });
    for (const [k, q] of QS) expect(exact.overall[k]).toBeCloseTo(refQuantile(sorted, q), 9);
  });

  it('includes an event stamped exactly at from and excludes one stamped exactly at to', async () => {
    const a = from;
    const b = to;
    const edge = await storeWith([
      { ts: a - 1, op: 'x', duration: 1 },
      { ts: a, op: 'x', duration: 2 },
      { ts: b - 1, op: 'x', duration: 3 },
      { ts: b, op: 'x', duration: 4 },
    ]);
    try {
      const doc = run(edge, { fromMs: a, toMs: b });
      expect(doc.overall.count).toBe(2);
      expect([doc.overall.min, doc.overall.max]).toEqual([2, 3]);
      expect(doc.coverage.firstEvent).toBe(a);
      expect(doc.coverage.lastEvent).toBe(b - 1);
      const aligned = run(edge, { fromMs: a - (a % HOUR), toMs: b - (b % HOUR) + HOUR });
      expect(aligned.overall.count).toBe(4);
    } finally {
      edge.close();
    }
  });

  it('a window inside one hour is read raw and its percentiles are exact', () => {
    const f = FROM + 30 * HOUR + 10 * MINUTE;
    const t = f + 40 * MINUTE;
    const doc = run(s, { fromMs: f, toMs: t });
    const sorted = sortedDurations(inWindow(events, f, t));
    expect(doc.method.percentiles).toBe('exact');
    expect(doc.overall.count).toBe(sorted.length);
    for (const [k, q] of QS) expect(doc.overall[k]).toBeCloseTo(refQuantile(sorted, q), 9);
  });
});
