import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBaseline, removeBaseline, saveBaseline } from '../../src/analysis/baseline.js';
import { UsageError } from '../../src/errors.js';
import { DAY, T0, config, lognormal, refQuantile, rng, run, storeWith, type Ev, type Store } from './fixture.js';

// Two weeks: in the second, `search` is 1.5× slower and `list` is unchanged; `search` also gets 50 % more calls.
const W1 = T0;
const W2 = T0 + 7 * DAY;
const END = T0 + 14 * DAY;
const r = rng(11);
const events: Ev[] = [];
for (const [week, start] of [[1, W1], [2, W2]] as const) {
  for (let i = 0; i < (week === 1 ? 2000 : 3000); i++) events.push({ ts: start + Math.floor(r() * 7 * DAY), op: 'search', duration: lognormal(r, week === 1 ? 200 : 300, 0.4) });
  for (let i = 0; i < 2000; i++) events.push({ ts: start + Math.floor(r() * 7 * DAY), op: 'list', duration: lognormal(r, 40, 0.4), ok: r() > 0.02 });
}
const p95 = (from: number, to: number, op: string) =>
  refQuantile(events.filter((e) => e.op === op && e.ts >= from && e.ts < to).map((e) => e.duration).sort((a, b) => a - b), 0.95);

let s: Store;
beforeAll(async () => {
  s = await storeWith(events);
});
afterAll(() => s.close());

describe('comparison with the previous window', () => {
  it('gives the absolute and relative change of every KPI and flags the p95 regression', () => {
    const doc = run(s, { fromMs: W2, toMs: END, previous: undefined });
    const prev = doc.comparison.previous!;
    expect(prev.label).toBe('previous window');
    expect(prev.window).toMatchObject({ fromMs: W1, toMs: W2 });
    expect(prev.change.count).toEqual({ before: 4000, after: 5000, abs: 1000, rel: 0.25 });
    for (const k of ['successRate', 'errorRate', 'p95', 'p99', 'throughput.meanPerMin', 'throughput.peakPerMin', 'resources.memoryMb.max']) {
      expect(prev.change).toHaveProperty([k]);
    }
    const d = prev.change.p95;
    expect(d.abs).toBeCloseTo((d.after as number) - (d.before as number), 9);
    expect(d.rel).toBeCloseTo((d.abs as number) / (d.before as number), 12);
    expect(prev.regressions.map((x) => x.op)).toEqual(['search']);
    const reg = prev.regressions[0];
    const exactRel = p95(W2, END, 'search') / p95(W1, W2, 'search') - 1;
    expect(Math.abs(reg.rel - exactRel)).toBeLessThan(0.03); // two sketch percentiles, each within 1 %
    const search = doc.operations.find((g) => g.op === 'search')!;
    expect(search.change?.count).toEqual({ before: 2000, after: 3000, abs: 1000, rel: 0.5 });
  });

  it('honours a custom regression threshold and can be switched off', () => {
    const strict = run(s, { fromMs: W2, toMs: END, previous: undefined }, config({ analysis: { regressionThreshold: 0.9 } }));
    expect(strict.comparison.previous!.regressions).toEqual([]);
    expect(run(s, { fromMs: W2, toMs: END, previous: null }).comparison.previous).toBeNull();
  });
});

describe('named baselines', () => {
  it('save, compare, list and remove', () => {
    saveBaseline(s.store, 'week-1', { fromMs: W1, toMs: W2, nowMs: W2 }, { force: false });
    const b = loadBaseline(s.store.baselines, 'week-1');
    expect(b.overall.count).toBe(4000);
    expect(b.operations.map((o) => o.op).sort()).toEqual(['list', 'search']);
    const doc = run(s, { fromMs: W2, toMs: END, baseline: 'week-1' });
    const cmp = doc.comparison.baseline!;
    expect(cmp.name).toBe('week-1');
    expect(cmp.window).toMatchObject({ fromMs: W1, toMs: W2 });
    expect(cmp.regressions.map((x) => x.op)).toEqual(['search']);
    expect(cmp.regressions[0].rel).toBeGreaterThan(0.35);
    expect(cmp.change.count.abs).toBe(1000);
    expect(s.store.baselines.list().map((x) => x.name)).toEqual(['week-1']);
    expect(() => saveBaseline(s.store, 'week-1', { fromMs: W1, toMs: W2, nowMs: W2 }, { force: false })).toThrowError(/already exists/);
    saveBaseline(s.store, 'week-1', { fromMs: W2, toMs: END, nowMs: END }, { force: true });
    expect(loadBaseline(s.store.baselines, 'week-1').overall.count).toBe(5000);
    removeBaseline(s.store, 'week-1');
    expect(s.store.baselines.list()).toEqual([]);
  });

  it('unknown names are clear errors', () => {
    expect(() => removeBaseline(s.store, 'nope')).toThrowError(UsageError);
    expect(() => run(s, { fromMs: W2, toMs: END, baseline: 'nope' })).toThrowError(/no baseline named "nope"/);
    expect(() => saveBaseline(s.store, 'empty', { fromMs: END, toMs: END + DAY, nowMs: END + DAY }, { force: false })).toThrowError(/no events/);
  });

  it('an ad-hoc baseline window lands in comparison.baseline', () => {
    const doc = run(s, { fromMs: W2, toMs: END, baselineWindow: { fromMs: W1, toMs: W2, label: 'same window one week earlier' } });
    expect(doc.comparison.baseline).toMatchObject({ name: 'same window one week earlier', label: 'same window one week earlier' });
    expect(doc.comparison.baseline!.regressions.map((x) => x.op)).toEqual(['search']);
  });
});
