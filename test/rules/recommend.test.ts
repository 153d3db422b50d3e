import { describe, expect, test } from 'vitest';
import { recommend } from '../../src/analysis/rules/recommend.js';
import { RULE_IDS } from '../../src/analysis/rules/registry.js';
import { buildDoc, config, healthyOp, opsWith, retest } from './doc-factory.js';

describe('ranking', () => {
  test('findings of equal severity rank by the share of failures they touch', () => {
    // Two high category findings (≥ 5 % of traffic each): connection failures are the larger share.
    const doc = buildDoc(
      opsWith(
        { ...healthyOp('GET /api/orders'), errors: { connection: 9000 } },
        { ...healthyOp('search'), errors: { rate_limit: 6000 } },
      ),
    );
    const recs = recommend(doc, config({ disabled: ['low-success-rate'] })).recommendations;
    const conn = recs.findIndex((r) => r.rule === 'connection-errors');
    const rate = recs.findIndex((r) => r.rule === 'rate-limited');
    expect(recs[conn].severity).toBe('high');
    expect(recs[rate].severity).toBe('high');
    expect(conn).toBeLessThan(rate);
    // score = 0.7 (high) × share of failures × confidence (1: thousands of failures).
    const failures = 9000 + 6000 + 300 + 125 + 150 + 100;
    expect(recs[conn].score).toBeCloseTo(Math.round(0.7 * (9000 / failures) * 1e4) / 1e4, 4);
    expect(recs[rate].score).toBeCloseTo(Math.round(0.7 * (6000 / failures) * 1e4) / 1e4, 4);
  });

  test('a critical finding on a small share outranks a low one on a large share, and scores are sorted', () => {
    // 900 of 3,000 failed: 70 %, under the table's critical 80 %.
    const doc = buildDoc(opsWith({ ...healthyOp('report.export'), errors: { timeout: 900 } }, { ...healthyOp('search'), p50: 50, p99: 1900 }));
    const recs = recommend(doc, config()).recommendations;
    expect(recs[0].severity).toBe('critical');
    expect(recs.map((r) => r.score)).toEqual([...recs.map((r) => r.score)].sort((a, b) => b - a));
  });

  test('equal scores keep a stable order (rule id, then operation) whatever the operations order', () => {
    const tail = (op: string) => ({ op, count: 10_000, p50: 10, p95: 100, p99: 150 });
    const ops = opsWith(tail('b-op'), tail('a-op'), tail('c-op'));
    const forward = recommend(buildDoc(ops), config()).recommendations;
    const backward = recommend(buildDoc([...ops].reverse()), config()).recommendations;
    const tails = forward.filter((r) => r.rule === 'heavy-tail');
    expect(tails.map((r) => r.ops[0])).toEqual(['a-op', 'b-op', 'c-op']);
    expect(new Set(tails.map((r) => r.score)).size).toBe(1);
    expect(backward.map((r) => r.id)).toEqual(forward.map((r) => r.id));
  });
});

describe('merging', () => {
  test('a timeout storm on one operation is one recommendation with every rule\'s evidence', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('search'), errors: { timeout: 3000 }, p50: 9000, p95: 31_000, p99: 33_000 }));
    const recs = recommend(doc, config()).recommendations;
    const storm = recs.filter((r) => r.ops.includes('search') && r.rule !== 'heavy-tail');
    expect(storm).toHaveLength(1);
    const [r] = storm;
    expect(r.id).toBe('low-success-rate:search');
    expect(r.severity).toBe('critical');
    expect(r.evidence.join('\n')).toContain('p95 31 s');
    expect(r.evidence.join('\n')).toContain('timeout failures');
    expect(r.evidence.at(-1)).toBe('also seen by: p95-over-timeout, timeout-dominant');
    // The score is the strongest member's: critical × 3,000 / all failures × confidence 1.
    const failures = 1093 - 199 + 3000;
    expect(r.score).toBeCloseTo(Math.round((3000 / failures) * 1e4) / 1e4, 4);
  });

  test('memory over the limit and growing is one resource recommendation', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('report.export'), errors: { timeout: 75 } }));
    doc.overall.resources.memoryMb = { max: 1300, mean: 900 };
    doc.trends.series.forEach((p, i) => (p.memoryMaxMb = 700 + 100 * i));
    const recs = recommend(retest(doc), config()).recommendations.filter((r) => r.category === 'resources');
    expect(recs).toHaveLength(1);
    expect(recs[0].evidence.join('\n')).toContain('memory peak 1,300 MB');
    expect(recs[0].evidence.join('\n')).toContain('rose from 750 MB to 1,250 MB');
    expect(recs[0].evidence.at(-1)).toMatch(/^also seen by: memory-(growth|peak)$/);
  });

  test('ids are unique and disabled rules do not run', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('search'), errors: { timeout: 3000 } }));
    const all = recommend(doc, config()).recommendations;
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    const without = recommend(doc, config({ disabled: ['low-success-rate'] })).recommendations;
    expect(without.map((r) => r.rule)).not.toContain('low-success-rate');
    expect(without[0].rule).toBe('timeout-dominant');
  });
});

describe('verdict', () => {
  test('healthy data: nothing above low and the supporting KPIs in the summary', () => {
    const { recommendations, verdict } = recommend(buildDoc(), config());
    expect(recommendations.filter((r) => r.severity !== 'low')).toEqual([]);
    expect(verdict.status).toBe('healthy');
    // 1,093 failures of 100,000 → 98.9 % success; timeouts (200 + 180 + 75) / 100,000.
    expect(verdict.summary).toContain('100,000 events, success 98.9 %');
    expect(verdict.summary).toContain('timeouts 0.46 %');
  });

  test('attention for medium/high findings, critical when any is critical', () => {
    const attention = recommend(buildDoc(opsWith({ ...healthyOp('report.export'), p95: 31_000, p99: 40_000 })), config()).verdict;
    expect(attention.status).toBe('attention');
    // Its heavy tail (p99 40 s = 16 × p50 2.5 s) reaches the timeout: the same problem, folded in.
    expect(attention.summary).toBe('1 high finding; top: report.export: p95 31 s is at or over the 30 s timeout');
    const critical = recommend(buildDoc(opsWith({ ...healthyOp('search'), errors: { timeout: 3000 } })), config()).verdict;
    expect(critical.status).toBe('critical');
  });

  test('every rule in the registry has a unique id', () => {
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
    expect(RULE_IDS.length).toBeGreaterThanOrEqual(13);
  });
});
