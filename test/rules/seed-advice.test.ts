import { describe, expect, test } from 'vitest';
import { quantiles } from '../../src/analysis/stats/percentile.js';
import { config } from './doc-factory.js';
import { DAY, WEEK_FROM, analyzeLines, lines, parsed } from './week-logs.js';

/** The seed guide's own example advice (GansAuditor's PerformanceAnalyzer), reproduced from logs that show it. */

const day = { fromMs: WEEK_FROM, toMs: WEEK_FROM + DAY };
const gen = (ops: unknown[], extra = {}) => lines({ seed: 11, startMs: day.fromMs, endMs: day.toMs, count: 3000, ops, ...extra });

describe('seed advice', () => {
  test('p95 over 30 s → raise AUDIT_TIMEOUT_SECONDS (to 60, as the seed does)', async () => {
    const ls = gen([{ name: 'codex.audit', weight: 1, medianMs: 32_000, sigma: 0.1, errorRate: 0, errors: ['timeout'] }]);
    // The seed's team names its setting in the config (oplens init does so for GansAuditor logs).
    const doc = await analyzeLines({ 'codex.jsonl': ls }, day, config({ timeoutSetting: 'AUDIT_TIMEOUT_SECONDS' }));
    const [p95, p99] = quantiles(parsed(ls).map((e) => e.duration), [0.95, 0.99]);
    expect(p95).toBeGreaterThan(30_000);
    const rec = doc.recommendations.find((r) => r.rule === 'p95-over-timeout')!;
    expect(rec.severity).toBe('high');
    expect(rec.category).toBe('performance');
    expect(rec.ops).toEqual(['codex.audit']);
    // The cited p95 is the sketch's: within its 1 % error bound of the exact one.
    const cited = Number(/p95 ([\d.]+) s/.exec(rec.evidence[0])![1]) * 1000;
    expect(Math.abs(cited - p95) / p95).toBeLessThan(0.011);
    const seconds = Number(/export AUDIT_TIMEOUT_SECONDS=(\d+)/.exec(rec.action)![1]);
    expect(seconds).toBe(60);
    expect(seconds * 1000).toBeGreaterThan(p99);
    expect(doc.verdict.status).toBe('attention');
  });

  test('success under the critical threshold (80 %) → critical, investigate error patterns, naming the dominant error group', async () => {
    const ls = gen([{ name: 'codex.audit', weight: 1, medianMs: 2000, sigma: 0.5, errorRate: 0.3, errors: ['server_error'] }]);
    const doc = await analyzeLines({ 'codex.jsonl': ls }, day);
    const events = parsed(ls);
    const failed = events.filter((e) => !e.success).length;
    const success = 1 - failed / events.length;
    expect(success).toBeLessThan(0.75);
    const rec = doc.recommendations[0];
    expect(rec.rule).toBe('low-success-rate');
    expect(rec.severity).toBe('critical');
    expect(rec.recommendation).toMatch(/^Investigate the error patterns of/);
    expect(rec.evidence[0]).toContain(`success ${(success * 100).toFixed(1)} % (${failed.toLocaleString('en-US')} of ${events.length.toLocaleString('en-US')} events failed`);
    // Every failure has the same message shape, so one group holds them all.
    expect(rec.evidence.join('\n')).toContain(`error group: server_error in codex.audit [HTTP 500] "internal error while saving order`);
    expect(rec.evidence.join('\n')).toContain(`×${failed.toLocaleString('en-US')} (100 % of failures)`);
    expect(doc.verdict.status).toBe('critical');
  });

  test('memory peak over 1000 MB → heap settings (--max-old-space-size=2048)', async () => {
    const ls = gen([{ name: 'codex.audit', weight: 1, medianMs: 2000, sigma: 0.5, errorRate: 0, errors: ['timeout'] }], { memoryBaseMb: 950 });
    const doc = await analyzeLines({ 'codex.jsonl': ls }, day);
    const peak = Math.max(...parsed(ls).map((e) => e.memoryMb));
    expect(peak).toBeGreaterThan(1000);
    const rec = doc.recommendations.find((r) => r.rule === 'memory-peak')!;
    expect(rec.severity).toBe('medium');
    expect(rec.category).toBe('resources');
    expect(rec.evidence[0]).toContain(`memory peak ${peak.toLocaleString('en-US')} MB over the 1,000 MB limit`);
    expect(rec.action).toContain('export NODE_OPTIONS="--max-old-space-size=2048"');
  });
});
