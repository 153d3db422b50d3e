import { describe, expect, test } from 'vitest';
import type { AnalysisDocument } from '../../src/analysis/analysis-document.js';
import { DAY, WEEK_FROM, WEEK_TO, analyzeLines, lines, parsed } from './week-logs.js';

/**
 * A generated week (fixtures/generate-log.mjs's six default operations, 8,000 events a day) ingested and analysed
 * end to end, clean and with three injected problems of different sizes:
 *  - a timeout storm on `search` over 3 days (most of the window's failures),
 *  - a gradual p95 regression on `GET /api/orders` (+15 % a day; 40 % of the traffic),
 *  - memory growth of 25 MB a day (an eighth of the 1,000 MB limit over the week).
 */
const PER_DAY = 8000;
const week = { fromMs: WEEK_FROM, toMs: WEEK_TO };

function weekFiles(problems: boolean): Record<string, string[]> {
  const files: Record<string, string[]> = {};
  for (let d = 0; d < 7; d++) {
    const startMs = WEEK_FROM + d * DAY;
    const endMs = startMs + DAY;
    files[`api-${d}.jsonl`] = lines({
      seed: 100 + d,
      startMs,
      endMs,
      count: PER_DAY,
      memoryBaseMb: problems ? 400 + 25 * d : 400,
      slowdowns: problems ? [{ op: 'GET /api/orders', fromMs: startMs, toMs: endMs, factor: 1 + 0.15 * d }] : [],
    });
  }
  if (problems) {
    files['storm.jsonl'] = lines({
      seed: 7,
      startMs: WEEK_FROM + 3 * DAY,
      endMs: WEEK_FROM + 6 * DAY,
      count: 3000,
      ops: [{ name: 'search', weight: 1, medianMs: 30_000, sigma: 0.1, errorRate: 0.7, errors: ['timeout'] }],
    });
  }
  return files;
}

const aboveLow = (doc: AnalysisDocument) => doc.recommendations.filter((r) => r.severity !== 'low');

describe('scenario: a generated week', () => {
  test('three injected problems rank in the order of their impact', async () => {
    const files = weekFiles(true);
    const doc = await analyzeLines(files, week);
    const events = Object.values(files).flatMap(parsed);

    // Independent impacts: the storm's share of all failures, the regressed operation's share of traffic, and the
    // memory growth (first-third vs last-third daily peaks) as a share of the 1,000 MB limit.
    const failures = events.filter((e) => !e.success);
    const stormImpact = failures.filter((e) => e.operation === 'search').length / failures.length;
    const regressionImpact = events.filter((e) => e.operation === 'GET /api/orders').length / events.length;
    const peaks = Array.from({ length: 7 }, (_, d) => Math.max(...parsed(files[`api-${d}.jsonl`]).map((e) => e.memoryMb)));
    const growthImpact = ((peaks[5] + peaks[6]) / 2 - (peaks[0] + peaks[1]) / 2) / 1000;
    expect(stormImpact).toBeGreaterThan(regressionImpact);
    expect(regressionImpact).toBeGreaterThan(growthImpact);
    expect(growthImpact).toBeGreaterThan(0.1);

    const storm = doc.recommendations.findIndex((r) => r.ops.includes('search') && r.evidence.some((e) => e.includes('timeout')));
    const regression = doc.recommendations.findIndex((r) => r.rule === 'p95-regression' && r.ops[0] === 'GET /api/orders');
    const memory = doc.recommendations.findIndex((r) => r.rule === 'memory-growth');
    expect([storm, regression, memory].every((i) => i >= 0)).toBe(true);
    expect(storm).toBeLessThan(regression);
    expect(regression).toBeLessThan(memory);

    const s = doc.recommendations[storm];
    expect(s.severity).toBe('critical');
    expect(s.id).toBe('low-success-rate:search');
    // One recommendation for the storm: the timeout, p95, tail and spike rules folded into it, not repeated (the
    // search's few 429s stay a separate low note).
    expect(doc.recommendations.filter((x) => x.ops[0] === 'search' && x.severity !== 'low')).toHaveLength(1);
    const also = /^also seen by: (.*)$/.exec(s.evidence.at(-1)!)![1].split(', ');
    expect(also.sort()).toEqual(['error-spike', 'heavy-tail', 'p95-over-timeout', 'timeout-dominant']);
    expect(s.evidence.join('\n')).toMatch(/2026-11-1\d \d\d:00Z \(hour\): [\d,]+ of [\d,]+ events failed/);

    const r = doc.recommendations[regression];
    expect(r.evidence[0]).toMatch(/^GET \/api\/orders: p95 rose from [\d.]+ ms to [\d.]+ ms \(\+\d+(\.\d)? %\)/);
    const m = doc.recommendations[memory];
    expect(m.severity).toBe('medium');
    expect(m.category).toBe('resources');
    // The memory growth cites the daily peaks' thirds, the same numbers the test computed from the lines.
    expect(m.evidence[0]).toContain(`rose from ${Math.round((peaks[0] + peaks[1]) / 2)} MB to ${Math.round((peaks[5] + peaks[6]) / 2)} MB`);

    // Only the scored order counts: scores are non-increasing.
    expect(doc.recommendations.map((x) => x.score)).toEqual([...doc.recommendations.map((x) => x.score)].sort((a, b) => b - a));
    expect(doc.verdict.status).toBe('critical');
  });

  test('a clean week is healthy: nothing above low, and the verdict cites its KPIs', async () => {
    const files = weekFiles(false);
    const doc = await analyzeLines(files, week);
    const events = Object.values(files).flatMap(parsed);
    const success = events.filter((e) => e.success).length / events.length;
    expect(aboveLow(doc)).toEqual([]);
    expect(doc.verdict.status).toBe('healthy');
    expect(doc.verdict.summary).toContain(`${events.length.toLocaleString('en-US')} events, success ${(success * 100).toFixed(1)} %`);
    expect(doc.verdict.summary).toContain('no finding above low');
  });
});
