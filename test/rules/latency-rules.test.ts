import { describe, expect, test } from 'vitest';
import { heavyTail } from '../../src/analysis/rules/heavy-tail.js';
import { p95OverTimeout } from '../../src/analysis/rules/p95-over-timeout.js';
import { p95Regression } from '../../src/analysis/rules/p95-regression.js';
import { ruleSettings } from '../../src/analysis/rules/recommend.js';
import { DAY, FROM, buildDoc, config, healthyOp, opsWith, WIGGLE } from './doc-factory.js';

const rules = (over = {}) => ruleSettings(config(over));

describe('p95-over-timeout', () => {
  test('fires high when an operation p95 reaches the 30 s timeout, citing both numbers and the new timeout', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('report.export'), p50: 9000, p95: 31_000, p99: 44_000 }));
    const [f, ...rest] = p95OverTimeout.evaluate(doc, rules({ timeoutSetting: 'AUDIT_TIMEOUT_SECONDS', concurrencySetting: 'MAX_CONCURRENT_AUDITS' }));
    expect(rest).toEqual([]);
    expect(f.severity).toBe('high');
    expect(f.ops).toEqual(['report.export']);
    expect(p95OverTimeout.evaluate(doc, rules())[0].action).toMatch(/^raise the timeout to 60 s \(the current timeout is not in the logs or the config; oplens assumed 30 s\)/);
    // A configured timeout is named as such; oplens's default never passes for the service's setting.
    expect(p95OverTimeout.evaluate(doc, rules({ timeoutMs: 40_000 }))[0].action).toMatch(/^raise the timeout to 80 s \(configured now: 40 s\)/);
    expect(f.evidence[0]).toContain('p95 31 s');
    expect(f.evidence[0]).toContain('p99 44 s');
    expect(f.evidence[0]).toContain('30 s timeout');
    // 44 s × 1.2 = 52.8 s → 60 s (next 15 s), also double the 30 s timeout.
    expect(f.action).toContain('export AUDIT_TIMEOUT_SECONDS=60');
    expect(f.impact).toBeCloseTo(3000 / 100_000, 6);
  });

  test('a p99 over the timeout is medium, a p95 within 80 % of it is a low note', () => {
    const p99Over = p95OverTimeout.evaluate(buildDoc(opsWith({ ...healthyOp('report.export'), p95: 20_000, p99: 35_000 })), rules());
    expect(p99Over.map((f) => f.severity)).toEqual(['medium']);
    const near = p95OverTimeout.evaluate(buildDoc(opsWith({ ...healthyOp('report.export'), p95: 25_000, p99: 29_000 })), rules());
    expect(near.map((f) => f.severity)).toEqual(['low']);
  });

  test('near miss: p95 23 s and p99 29.9 s under a 30 s timeout do not fire', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('report.export'), p95: 23_000, p99: 29_900 }));
    expect(p95OverTimeout.evaluate(doc, rules())).toEqual([]);
  });

  test('a per-operation timeout glob overrides the default', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('report.export'), p95: 31_000, p99: 40_000 }));
    expect(p95OverTimeout.evaluate(doc, rules({ timeouts: [{ op: 'report.*', ms: 120_000 }] }))).toEqual([]);
    const tight = p95OverTimeout.evaluate(buildDoc(), rules({ timeouts: [{ op: 'search', ms: 1000 }] }));
    expect(tight.map((f) => [f.ops[0], f.severity])).toEqual([['search', 'high']]);
  });

  test('does not judge an operation with fewer timed events than minSamples', () => {
    const doc = buildDoc(opsWith({ op: 'rare', count: 49, p50: 40_000, p95: 50_000, p99: 60_000 }));
    expect(p95OverTimeout.evaluate(doc, rules())).toEqual([]);
  });
});

describe('p95-regression', () => {
  test('fires on a regression against the previous window and names the change point', () => {
    const doc = buildDoc();
    doc.comparison.previous = {
      label: 'previous',
      window: { from: '', to: '', fromMs: FROM - 7 * DAY, toMs: FROM },
      overall: doc.overall,
      change: {},
      regressions: [{ op: 'search', before: 1000, after: 1350, rel: 0.35 }],
    };
    doc.trends.changePoints = [{ metric: 'p95', op: 'search', at: FROM + 3 * DAY, before: 1000, after: 1350 }];
    const [f, ...rest] = p95Regression.evaluate(doc, rules());
    expect(rest).toEqual([]);
    expect(f.severity).toBe('medium');
    expect(f.ops).toEqual(['search']);
    expect(f.evidence[0]).toContain('p95 1 s → 1.35 s (+35 %)');
    expect(f.evidence.join('\n')).toContain('change point at 2026-11-12 00:00Z');
    expect(f.commands?.[0]).toBe('oplens incident --at 2026-11-12T00:00Z --window 2h');
    expect(f.impact).toBeCloseTo(12_000 / 100_000, 6);
  });

  test('near miss: a 15 % worsening is under the 20 % threshold', () => {
    const doc = buildDoc();
    doc.comparison.baseline = {
      name: 'release-1',
      label: 'baseline',
      window: { from: '', to: '', fromMs: FROM - 7 * DAY, toMs: FROM },
      overall: doc.overall,
      change: {},
      regressions: [{ op: 'search', before: 1000, after: 1150, rel: 0.15 }],
    };
    expect(p95Regression.evaluate(doc, rules())).toEqual([]);
  });

  test('fires on a gradual rise inside the window (first third vs last third, significant trend)', () => {
    const doc = buildDoc();
    const s = doc.trends.opSeries.find((o) => o.op === 'GET /api/orders')!;
    s.p95 = [100, 112, 125, 140, 150, 165, 180];
    const [f] = p95Regression.evaluate(doc, rules());
    expect(f.ops).toEqual(['GET /api/orders']);
    // First third (2 points) median 106, last third 172.5 → +62.7 %.
    expect(f.evidence[0]).toContain('from 106 ms to 173 ms'); // 3 significant digits
    expect(f.evidence[0]).toContain('+62.7 %');
    expect(f.severity).toBe('medium');
  });

  test('near miss: a noisy flat series and a rise that is not monotonic do not fire', () => {
    const doc = buildDoc();
    doc.trends.opSeries[0].p95 = [100, 140, 95, 150, 98, 145, 102];
    expect(p95Regression.evaluate(doc, rules())).toEqual([]);
    doc.trends.opSeries[0].p95 = WIGGLE.map((w) => 100 * w);
    expect(p95Regression.evaluate(doc, rules())).toEqual([]);
  });
});

describe('heavy-tail', () => {
  test('fires when p99 is more than 10 × p50, listing the slowest runs of that operation', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('search'), p50: 100, p95: 900, p99: 1500 }));
    doc.slowest = [
      { ts: FROM + 3_600_000, op: 'search', source: 'api-1', durationMs: 9000, ok: true },
      { ts: FROM + 7_200_000, op: 'search', source: 'api-2', durationMs: 12_000, ok: false },
      { ts: FROM, op: 'auth.login', source: 'api-1', durationMs: 20_000, ok: true },
    ];
    const [f, ...rest] = heavyTail.evaluate(doc, rules());
    expect(rest).toEqual([]);
    expect(f.severity).toBe('low');
    expect(f.evidence[0]).toContain('15×');
    expect(f.evidence.slice(1)).toEqual([
      'slow run: 2026-11-09 02:00Z api-2 12 s (failed)',
      'slow run: 2026-11-09 01:00Z api-1 9 s',
    ]);
    expect(f.commands?.[0]).toBe('oplens incident --at 2026-11-09T02:00Z --window 1h');
  });

  test('near miss: a ratio of 9.5, or 15 with only 150 samples, does not fire', () => {
    expect(heavyTail.evaluate(buildDoc(opsWith({ ...healthyOp('search'), p50: 100, p99: 950 })), rules())).toEqual([]);
    expect(heavyTail.evaluate(buildDoc(opsWith({ op: 'small', count: 150, p50: 100, p95: 900, p99: 1500 })), rules())).toEqual([]);
  });

  test('a tail that reaches the timeout shares the timeout cause, so it merges with the timeout findings', () => {
    const [near] = heavyTail.evaluate(buildDoc(opsWith({ ...healthyOp('search'), p50: 2000, p99: 25_000 })), rules());
    expect(near.cause).toBe('timeout:search'); // 25 s ≥ 80 % of 30 s
    const [far] = heavyTail.evaluate(buildDoc(opsWith({ ...healthyOp('search'), p50: 100, p99: 1500 })), rules());
    expect(far.cause).toBe('tail:search');
  });

  test('three times the ratio is medium', () => {
    const [f] = heavyTail.evaluate(buildDoc(opsWith({ ...healthyOp('search'), p50: 10, p99: 400 })), rules());
    expect(f.severity).toBe('medium');
  });
});
