import { describe, expect, test } from 'vitest';
import { concurrencyKnee } from '../../src/analysis/rules/concurrency-knee.js';
import { memoryGrowth } from '../../src/analysis/rules/memory-growth.js';
import { memoryPeak } from '../../src/analysis/rules/memory-peak.js';
import { saturation } from '../../src/analysis/rules/saturation.js';
import { ruleSettings } from '../../src/analysis/rules/recommend.js';
import { buildDoc, config, healthyOp, opsWith, retest } from './doc-factory.js';

const rules = (over = {}) => ruleSettings(config(over));

describe('concurrency-knee', () => {
  test('fires at the lowest level from which failures stay up, and caps at the level before', () => {
    const doc = buildDoc();
    for (const l of doc.concurrency) if (l.level >= 12) l.errorRate = 0.2 + l.level / 100;
    const [f, ...rest] = concurrencyKnee.evaluate(doc, rules({ timeoutSetting: 'AUDIT_TIMEOUT_SECONDS', concurrencySetting: 'MAX_CONCURRENT_AUDITS' }));
    expect(rest).toEqual([]);
    expect(f.severity).toBe('high');
    expect(f.title).toBe('Failures climb from concurrency 12');
    expect(f.action).toBe('export MAX_CONCURRENT_AUDITS=11');
    expect(concurrencyKnee.evaluate(doc, rules())[0].action).toBe('cap concurrency at 11 (workers, pool size or in-flight requests)');
    // 5 of 16 equal levels are at or above the knee.
    expect(f.impact).toBeCloseTo(5 / 16, 6);
  });

  test('fires on latency alone when p95 doubles from a level', () => {
    const doc = buildDoc();
    for (const l of doc.concurrency) if (l.level >= 14) l.p95 = (l.p95 ?? 0) * 3;
    const [f] = concurrencyKnee.evaluate(doc, rules({ concurrencySetting: 'WORKERS' }));
    expect(f.title).toBe('Latency climb from concurrency 14');
    expect(f.severity).toBe('medium');
    expect(f.action).toBe('export WORKERS=13');
  });

  test('near miss: one bad level in the middle, or levels only 3 points worse, do not fire', () => {
    const doc = buildDoc();
    doc.concurrency[7].errorRate = 0.3;
    expect(concurrencyKnee.evaluate(doc, rules())).toEqual([]);
    const mild = buildDoc();
    for (const l of mild.concurrency) if (l.level >= 12) l.errorRate += 0.03;
    expect(concurrencyKnee.evaluate(mild, rules())).toEqual([]);
  });
});

describe('saturation', () => {
  const rising = [1, 1.1, 1.25, 1.4, 1.5, 1.65, 1.8];

  test('fires when p95 rises broadly at flat throughput', () => {
    const doc = buildDoc();
    doc.trends.series.forEach((p, i) => (p.p95 = 2000 * rising[i]));
    doc.trends.opSeries.forEach((o) => (o.p95 = o.p95.map((v, i) => v * rising[i])));
    const [f] = saturation.evaluate(retest(doc), rules());
    expect(f.severity).toBe('medium');
    // First third (2 points) median 2,100 ms, last third 3,450 ms → +64.3 %.
    expect(f.evidence[0]).toContain('p95 rose from 2.1 s to 3.45 s (+64.3 %');
    expect(f.cause).toBe('capacity:*');
    // Days whose p95 is above 2,100 × 1.2 = 2,520 ms: the last four of seven equal days.
    expect(f.impact).toBeCloseTo(4 / 7, 6);
  });

  test('near miss: the same rise with throughput up 60 %, or confined to one operation, does not fire', () => {
    const loadDriven = buildDoc();
    loadDriven.trends.series.forEach((p, i) => {
      p.p95 = 2000 * rising[i];
      p.meanPerMin *= 1 + 0.1 * i;
    });
    loadDriven.trends.opSeries.forEach((o) => (o.p95 = o.p95.map((v, i) => v * rising[i])));
    expect(saturation.evaluate(retest(loadDriven), rules())).toEqual([]);

    const oneOp = buildDoc();
    oneOp.trends.series.forEach((p, i) => (p.p95 = 2000 * rising[i]));
    oneOp.trends.opSeries[4].p95 = oneOp.trends.opSeries[4].p95.map((v, i) => v * rising[i]);
    expect(saturation.evaluate(retest(oneOp), rules())).toEqual([]);
  });
});

describe('memory-growth', () => {
  test('fires on a steady rise, with the time left to the limit', () => {
    const doc = buildDoc();
    doc.trends.series.forEach((p, i) => (p.memoryMaxMb = 400 + 40 * i));
    const [f] = memoryGrowth.evaluate(retest(doc), rules());
    // Thirds: median(400, 440) = 420, median(600, 640) = 620 → +200 MB; 40 MB/day from 620 to 1,000 = 9.5 days.
    expect(f.evidence[0]).toContain('rose from 420 MB to 620 MB (+200 MB)');
    expect(f.evidence[0]).toContain('40 MB per day');
    expect(f.evidence[1]).toBe('at this rate the 1,000 MB limit is reached in about 10 days');
    expect(f.severity).toBe('medium');
    expect(f.impact).toBeCloseTo(200 / 1000, 6);
    expect(f.action).toContain('--heapsnapshot-signal');
    // Advice for any process: no settings of one particular application (those come from the config only).
    expect(`${f.recommendation} ${f.action}`).not.toMatch(/[A-Z]+_[A-Z_]+=/);
  });

  test('high when the limit would be reached within another window', () => {
    const doc = buildDoc();
    doc.trends.series.forEach((p, i) => (p.memoryMaxMb = 500 + 70 * i));
    expect(memoryGrowth.evaluate(retest(doc), rules())[0].severity).toBe('high');
  });

  test('near miss: a 60 MB rise, and a wiggle without trend, do not fire', () => {
    const doc = buildDoc();
    doc.trends.series.forEach((p, i) => (p.memoryMaxMb = 600 + 10 * i));
    expect(memoryGrowth.evaluate(retest(doc), rules())).toEqual([]);
    expect(memoryGrowth.evaluate(buildDoc(), rules())).toEqual([]);
  });
});

describe('memory-peak', () => {
  test('fires medium over 1000 MB with the heap setting', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('report.export'), errors: { timeout: 75 } }));
    doc.overall.resources.memoryMb = { max: 1240, mean: 800 };
    doc.trends.series[5].memoryMaxMb = 1240;
    const [f] = memoryPeak.evaluate(doc, rules());
    expect(f.severity).toBe('medium');
    expect(f.evidence[0]).toBe('memory peak 1,240 MB over the 1,000 MB limit (mean 800 MB)');
    expect(f.evidence[1]).toBe('1 of 7 days peaked over the limit, first at 2026-11-14 00:00Z');
    expect(f.action).toContain('export NODE_OPTIONS="--max-old-space-size=2048"');
    expect(f.impact).toBeCloseTo(1 / 7, 6);
  });

  test('high when out-of-memory failures show the limit being hit', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('report.export'), errors: { memory: 80 } }));
    doc.overall.resources.memoryMb = { max: 3100, mean: 900 };
    const [f] = memoryPeak.evaluate(doc, rules());
    expect(f.severity).toBe('high');
    expect(f.action).toContain('--max-old-space-size=8192'); // 3,100 × 1.5 = 4,650 → next power of two
  });

  test('near miss: a 990 MB peak does not fire; the limit is configurable', () => {
    const doc = buildDoc();
    doc.overall.resources.memoryMb = { max: 990, mean: 700 };
    expect(memoryPeak.evaluate(doc, rules())).toEqual([]);
    expect(memoryPeak.evaluate(doc, rules({ memoryLimitMb: 512 }))).toHaveLength(1);
  });
});
