import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, T0, lognormal, refQuantile, relErr, rng, run, storeWith, type Ev, type Store } from './fixture.js';

// Three days of hourly buckets, 200 events an hour; each store differs in one known way.
const HOURS = 72;
const PER_HOUR = 200;
const FROM = T0;
const TO = T0 + 3 * DAY;
const SIGMA = 0.3;

function series(seed: number, medianAt: (h: number) => number, failAt: (h: number) => number = () => 0.01): Ev[] {
  const r = rng(seed);
  const out: Ev[] = [];
  for (let h = 0; h < HOURS; h++) {
    for (let i = 0; i < PER_HOUR; i++) {
      const ok = r() >= failAt(h);
      out.push({
        ts: FROM + h * HOUR + Math.floor(r() * HOUR), op: i % 2 ? 'api' : 'db', duration: lognormal(r, medianAt(h), SIGMA), ok,
        category: ok ? undefined : 'timeout', message: ok ? undefined : `upstream timed out after ${1000 + Math.floor(r() * 9000)} ms`,
        memoryMb: 400 + Math.floor(r() * 50),
      });
    }
  }
  return out;
}

const SPIKE_HOUR = 50;
const STEP_HOUR = 36;
let flat: Store;
let rising: Store;
let step: Store;
beforeAll(async () => {
  flat = await storeWith(series(1, () => 100));
  rising = await storeWith(series(2, (h) => 100 + 5 * h));
  step = await storeWith(series(3, (h) => (h < STEP_HOUR ? 100 : 200), (h) => (h === SPIKE_HOUR ? 0.3 : 0.01)));
});
afterAll(() => [flat, rising, step].forEach((s) => s.close()));

describe('trends', () => {
  it('uses an hourly series up to three days and a daily one beyond', () => {
    const doc = run(flat, { fromMs: FROM, toMs: TO });
    expect(doc.trends.resolution).toBe('hour');
    expect(doc.trends.series).toHaveLength(HOURS);
    expect(doc.trends.series.map((p) => p.count)).toEqual(Array(HOURS).fill(PER_HOUR));
    const longer = run(flat, { fromMs: FROM, toMs: FROM + 4 * DAY });
    expect(longer.trends.resolution).toBe('day');
    expect(longer.trends.series.map((p) => p.count)).toEqual([24 * PER_HOUR, 24 * PER_HOUR, 24 * PER_HOUR, 0]);
  });

  it('raises no alarm on flat noisy data', () => {
    const doc = run(flat, { fromMs: FROM, toMs: TO });
    expect(doc.trends.tests.map((t) => t.metric).sort()).toEqual(['errorRate', 'memoryMb', 'p95', 'throughput']);
    expect(doc.trends.tests.filter((t) => t.significant)).toEqual([]);
    expect(doc.trends.changePoints).toEqual([]);
    expect(doc.trends.spikes).toEqual([]);
  });

  it('finds a known rising slope in p95 and estimates it', () => {
    const doc = run(rising, { fromMs: FROM, toMs: TO });
    const p95 = doc.trends.tests.find((t) => t.metric === 'p95')!;
    expect(p95.significant).toBe(true);
    expect(p95.direction).toBe('up');
    expect(p95.pValue).toBeLessThan(1e-6);
    // p95 of a lognormal is median·e^(1.645σ), so the median's +5 ms/h becomes this many ms/h at p95.
    const expected = 5 * Math.exp(1.6449 * SIGMA);
    expect(Math.abs(p95.slopePerStep - expected) / expected).toBeLessThan(0.15);
    expect(doc.trends.tests.find((t) => t.metric === 'throughput')!.significant).toBe(false);
  });

  it('finds a known change point in p95, overall and per operation', () => {
    const doc = run(step, { fromMs: FROM, toMs: TO });
    const overall = doc.trends.changePoints.find((c) => c.metric === 'p95' && c.op === null)!;
    expect(overall.at).toBe(FROM + STEP_HOUR * HOUR);
    expect(overall.after / overall.before).toBeGreaterThan(1.8);
    expect(overall.after / overall.before).toBeLessThan(2.2);
    for (const op of ['api', 'db']) expect(doc.trends.changePoints.find((c) => c.op === op)?.at).toBe(FROM + STEP_HOUR * HOUR);
  });

  it('finds a known error spike with its top error group', () => {
    const events = series(3, (h) => (h < STEP_HOUR ? 100 : 200), (h) => (h === SPIKE_HOUR ? 0.3 : 0.01));
    const inSpike = events.filter((e) => e.ts >= FROM + SPIKE_HOUR * HOUR && e.ts < FROM + (SPIKE_HOUR + 1) * HOUR);
    const doc = run(step, { fromMs: FROM, toMs: TO });
    expect(doc.trends.spikes).toHaveLength(1);
    const spike = doc.trends.spikes[0];
    expect(spike.at).toBe(FROM + SPIKE_HOUR * HOUR);
    expect(spike.count).toBe(inSpike.length);
    expect(spike.errorCount).toBe(inSpike.filter((e) => e.ok === false).length);
    expect(spike.errorRate).toBeCloseTo(spike.errorCount / spike.count, 12);
    expect(spike.topGroup?.category).toBe('timeout');
    expect(spike.topGroup?.fingerprint).toBe('upstream timed out after <n> ms');
  });

  it('finds the same spike hour in a window long enough for a daily series', () => {
    const doc = run(step, { fromMs: FROM - DAY, toMs: TO });
    expect(doc.trends.resolution).toBe('day');
    expect(doc.trends.spikes.map((x) => x.at)).toEqual([FROM + SPIKE_HOUR * HOUR]);
  });

  /** The series of a short window against the raw events: counts exact, each p95 within 1 % of the exact one. */
  function checkFineSeries(doc: ReturnType<typeof run>, events: Ev[], from: number, to: number, stepMs: number): void {
    const first = from - (from % stepMs);
    const n = Math.ceil((to - first) / stepMs);
    expect(doc.trends.series.map((p) => p.t)).toEqual(Array.from({ length: n }, (_, i) => first + i * stepMs));
    for (const p of doc.trends.series) {
      const inBucket = events.filter((e) => e.ts >= Math.max(p.t, from) && e.ts < Math.min(p.t + stepMs, to));
      expect(p.count).toBe(inBucket.length);
      if (inBucket.length < 2) continue;
      const exact = refQuantile(inBucket.map((e) => e.duration).sort((a, b) => a - b), 0.95);
      expect(relErr(p.p95!, exact)).toBeLessThanOrEqual(0.01);
    }
  }

  it('gives a short (incident) window 5-minute buckets when they hold 20 events or more, their p95 within 1 % of the raw values', async () => {
    // 600 events an hour: 50 in each 5-minute bucket.
    const r = rng(5);
    const events: Ev[] = Array.from({ length: 1800 }, () => ({ ts: FROM + Math.floor(r() * 3 * HOUR), op: 'api', duration: lognormal(r, 100, SIGMA), ok: true }));
    const s = await storeWith(events);
    try {
      const from = FROM + 7 * MINUTE;
      const doc = run(s, { fromMs: from, toMs: from + 2 * HOUR });
      expect(doc.trends.resolution).toBe('5min');
      checkFineSeries(doc, events, from, from + 2 * HOUR, 5 * MINUTE);
    } finally {
      s.close();
    }
  });

  it('makes sparse short-window buckets longer: 200 events an hour get 15-minute buckets, not 5-minute ones of 17', () => {
    const events = series(1, () => 100);
    const from = FROM + 10 * HOUR + 7 * MINUTE;
    const to = from + 2 * HOUR;
    const doc = run(flat, { fromMs: from, toMs: to });
    expect(doc.trends.resolution).toBe('15min');
    checkFineSeries(doc, events, from, to, 15 * MINUTE);
  });

  it('falls back to hourly buckets for a short window whose raw events were pruned', async () => {
    const s = await storeWith(series(4, () => 100));
    try {
      s.store.pruneRawEvents(FROM + 20 * HOUR);
      const doc = run(s, { fromMs: FROM + 10 * HOUR, toMs: FROM + 12 * HOUR });
      expect(doc.trends.resolution).toBe('hour');
      expect(doc.trends.series).toHaveLength(2);
    } finally {
      s.close();
    }
  });

  it('gives the busiest operations their own p95 series aligned with the buckets', () => {
    const doc = run(step, { fromMs: FROM, toMs: TO });
    expect(doc.trends.opSeries.map((s) => s.op).sort()).toEqual(['api', 'db']);
    for (const s of doc.trends.opSeries) {
      expect(s.p95).toHaveLength(HOURS);
      expect(s.count.reduce((a, b) => a + b, 0)).toBe((HOURS * PER_HOUR) / 2);
    }
  });
});
