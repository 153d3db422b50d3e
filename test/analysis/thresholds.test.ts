import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { levelOf } from '../../src/analysis/thresholds.js';
import { parseConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';
import { DAY, T0, config, refQuantile, run, storeWith, type Ev, type Store } from './fixture.js';

// Four operations with known success rates and latencies over one day.
const FROM = T0;
const TO = T0 + DAY;
function op(name: string, n: number, failures: number, duration: (i: number) => number, memoryMb?: number): Ev[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: FROM + Math.floor((i * DAY) / n), op: name, duration: duration(i), ok: i >= failures, memoryMb,
  }));
}
const events = [
  ...op('fine', 1000, 20, (i) => 50 + (i % 100)), // success 98 %
  ...op('shaky', 1000, 150, (i) => 100 + (i % 300)), // success 85 %
  ...op('broken', 1000, 300, (i) => 400 + (i % 600), 1500), // success 70 %
  ...op('rare', 60, 0, () => 10), // 60 events a day: 0.0417/min
  { ts: TO - 1, op: 'tick', duration: 1 }, // the data covers the whole day, so mean throughput is over 1,440 minutes
  { ts: TO + 3_600_000, op: 'nightly', duration: 5 }, // known to the store, idle in the window
];
const p95 = (name: string) => refQuantile(events.filter((e) => e.op === name).map((e) => e.duration).sort((a, b) => a - b), 0.95);

let s: Store;
beforeAll(async () => {
  s = await storeWith(events);
});
afterAll(() => s.close());

describe('threshold levels', () => {
  it('higher-is-worse levels are breached only when strictly exceeded', () => {
    const t = { target: 200, warning: 200, critical: 500 };
    expect(levelOf(199, t, 'higher')).toBe('ok');
    expect(levelOf(200, t, 'higher')).toBe('ok');
    expect(levelOf(200.01, t, 'higher')).toBe('warning');
    expect(levelOf(500, t, 'higher')).toBe('warning');
    expect(levelOf(501, t, 'higher')).toBe('critical');
    expect(levelOf(null, t, 'higher')).toBe('ok');
  });

  it('lower-is-worse levels, and a missed target counts as a warning only without a warning level', () => {
    const t = { target: 0.95, warning: 0.9, critical: 0.8 };
    expect(levelOf(0.92, t, 'lower')).toBe('ok');
    expect(levelOf(0.85, t, 'lower')).toBe('warning');
    expect(levelOf(0.79, t, 'lower')).toBe('critical');
    expect(levelOf(0.92, { target: 0.95 }, 'lower')).toBe('warning');
    expect(levelOf(0.96, { target: 0.95 }, 'lower')).toBe('ok');
  });

  it('the defaults come from the seeds and judge each operation', () => {
    const doc = run(s, { fromMs: FROM, toMs: TO });
    const get = (metric: string, name: string) => doc.thresholds.find((t) => t.metric === metric && t.op === name)!;
    expect(get('successRate', 'fine').level).toBe('ok');
    expect(get('successRate', 'shaky').level).toBe('warning');
    expect(get('successRate', 'broken').level).toBe('critical');
    expect(get('successRate', 'broken').value).toBeCloseTo(0.7, 12);
    expect(get('errorRate', 'broken')).toMatchObject({ level: 'warning' });
    expect(get('errorRate', 'fine')).toMatchObject({ level: 'ok' });
    // Latency limits depend on the operation: none is assumed without config.
    expect(doc.thresholds.filter((t) => t.metric === 'p95')).toEqual([]);
    expect(get('memoryMb', 'broken')).toMatchObject({ value: 1500, level: 'warning' });
    // Breaches are listed first, criticals before warnings.
    const ranks = doc.thresholds.map((t) => ({ ok: 0, warning: 1, critical: 2 })[t.level]);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
  });

  it('the seeds latency table judges each operation, and a later, narrower entry overrides it', () => {
    const cfg = config({
      thresholds: [
        { metric: 'p95', op: '*', target: 200, warning: 200, critical: 500 },
        { metric: 'p95', op: 'broken', warning: 1e9 },
      ],
    });
    const doc = run(s, { fromMs: FROM, toMs: TO }, cfg);
    const get = (name: string) => doc.thresholds.filter((t) => t.metric === 'p95' && t.op === name);
    expect(get('fine')).toMatchObject([{ level: 'ok', critical: 500 }]);
    expect(get('shaky')).toMatchObject([{ level: p95('shaky') > 500 ? 'critical' : p95('shaky') > 200 ? 'warning' : 'ok' }]);
    expect(get('broken')).toMatchObject([{ level: 'ok', warning: 1e9 }]);
  });

  it('every metric reads the right value and direction', () => {
    const cfg = config({
      thresholds: [
        { metric: 'throughput', op: 'rare', warning: 0.1, critical: 0.05 },
        { metric: 'errorRate', op: 'sha*', warning: 0.1, critical: 0.2 },
        { metric: 'p99', op: 'fine', critical: 10 },
        { metric: 'timeoutRate', op: 'fine', warning: 0.5 },
      ],
    });
    const doc = run(s, { fromMs: FROM, toMs: TO }, cfg);
    expect(doc.thresholds).toHaveLength(4);
    expect(doc.thresholds[0]).toMatchObject({ metric: 'throughput', op: 'rare', level: 'critical', worse: 'lower' });
    expect(doc.thresholds[0].value).toBeCloseTo(60 / 1440, 12);
    expect(doc.thresholds.find((t) => t.metric === 'errorRate')).toMatchObject({ op: 'shaky', level: 'warning', value: 0.15 });
    expect(doc.thresholds.find((t) => t.metric === 'p99')!.level).toBe('critical');
    expect(doc.thresholds.find((t) => t.metric === 'timeoutRate')).toMatchObject({ level: 'ok', value: 0 });
  });

  it('an operation glob that matches no operation is an error naming it', () => {
    const cfg = config({ thresholds: [{ metric: 'p95', op: 'checkout*', warning: 100 }] });
    expect(() => run(s, { fromMs: FROM, toMs: TO }, cfg)).toThrowError(ConfigError);
    expect(() => run(s, { fromMs: FROM, toMs: TO }, cfg)).toThrowError(/thresholds\[0\]\.op: "checkout\*" matches no operation/);
  });

  it('an operation known to the store but idle in the window is reported, not silently passed', () => {
    const cfg = config({ thresholds: [{ metric: 'throughput', op: 'nightly', critical: 1 }, { metric: 'p95', op: 'nightly', warning: 1 }] });
    const doc = run(s, { fromMs: FROM, toMs: TO }, cfg);
    expect(doc.thresholds).toEqual([
      { metric: 'throughput', op: 'nightly', value: 0, level: 'critical', critical: 1, worse: 'lower' },
      { metric: 'p95', op: 'nightly', value: null, level: 'ok', warning: 1, worse: 'higher' },
    ]);
    // Operations outside --op are not judged at all.
    expect(run(s, { fromMs: FROM, toMs: TO, op: 'fine' }, cfg).thresholds).toEqual([]);
  });
});

describe('threshold config', () => {
  it('an unknown metric is a config error naming it and the known ones', () => {
    expect(() => parseConfig({ thresholds: [{ metric: 'p42', warning: 1 }] })).toThrowError(/thresholds\[0\]\.metric: expected one of p50, p90, p95, p99, errorRate/);
  });

  it('levels out of order, rates above 1, missing levels and unknown keys are errors', () => {
    expect(() => parseConfig({ thresholds: [{ metric: 'p95', warning: 500, critical: 200 }] })).toThrowError(/critical \(200\) is below warning \(500\)/);
    expect(() => parseConfig({ thresholds: [{ metric: 'successRate', warning: 0.8, critical: 0.9 }] })).toThrowError(/critical \(0.9\) is above warning/);
    expect(() => parseConfig({ thresholds: [{ metric: 'successRate', warning: 90 }] })).toThrowError(/fraction between 0 and 1/);
    expect(() => parseConfig({ thresholds: [{ metric: 'p95' }] })).toThrowError(/no level given/);
    expect(() => parseConfig({ thresholds: [{ metric: 'p95', warn: 1 }] })).toThrowError(/unknown key/);
    expect(() => parseConfig({ analysis: { regressionThreshold: -1 } })).toThrowError(/analysis.regressionThreshold/);
  });
});
