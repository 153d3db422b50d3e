import type { AnalysisDocument, Comparison, GroupKpis, Kpis } from '../../src/analysis/analysis-document.js';

/** Hand-made analysis documents for renderer tests, so they do not depend on the analysis stage. */

const HOUR = 3_600_000;
export const FROM = Date.UTC(2026, 10, 9);
export const TO = FROM + 7 * 24 * HOUR;

export function kpis(over: Partial<Kpis> = {}): Kpis {
  return {
    count: 1000, okCount: 980, errorCount: 20, timeoutCount: 5, successRate: 0.98, errorRate: 0.02, timeoutRate: 0.005,
    retryRate: 0.01, retriesPerEvent: 0.01, throughput: { meanPerMin: 0.099, peakPerMin: 4, peakMinute: FROM + HOUR },
    durationCount: 1000, mean: 140, min: 2, p50: 95, p90: 210, p95: 320, p99: 900, p999: 2500, max: 4100,
    resources: { memoryMb: null, cpuPercent: null, concurrency: null },
    ...over,
  };
}

export function group(op: string, over: Partial<GroupKpis> = {}): GroupKpis {
  return { ...kpis(), op, ...over };
}

export function comparison(label: string, shiftMs: number, before: Kpis, after: Kpis): Comparison {
  const delta = (b: number | null, a: number | null) => ({
    before: b, after: a, abs: a !== null && b !== null ? a - b : null, rel: a !== null && b ? (a - b) / b : null,
  });
  return {
    label,
    window: { from: new Date(FROM - shiftMs).toISOString(), to: new Date(TO - shiftMs).toISOString(), fromMs: FROM - shiftMs, toMs: TO - shiftMs },
    overall: before,
    change: {
      count: delta(before.count, after.count),
      successRate: delta(before.successRate, after.successRate),
      errorRate: delta(before.errorRate, after.errorRate),
      p95: delta(before.p95, after.p95),
      p99: delta(before.p99, after.p99),
      'throughput.meanPerMin': delta(before.throughput.meanPerMin, after.throughput.meanPerMin),
    },
    regressions: [],
  };
}

export function sampleDocument(over: Partial<AnalysisDocument> = {}): AnalysisDocument {
  const overall = kpis();
  const series = Array.from({ length: 168 }, (_, i) => ({
    t: FROM + i * HOUR, count: 6, errorCount: i % 24 === 5 ? 2 : 0, errorRate: i % 24 === 5 ? 1 / 3 : 0, timeoutCount: 0,
    meanPerMin: 0.1, p50: 90 + (i % 24), p95: i >= 72 && i < 96 ? 800 : 300, p99: i === 100 ? null : 900,
    memoryMaxMb: null, concurrencyMax: null, retriesPerEvent: 0,
  }));
  return {
    schemaVersion: 1,
    now: new Date(TO).toISOString(),
    window: { from: new Date(FROM).toISOString(), to: new Date(TO).toISOString(), fromMs: FROM, toMs: TO },
    groupBy: 'op',
    filters: {},
    method: { percentiles: 'sketch', relativeError: 0.01, description: 'Percentiles from hourly sketches.' },
    coverage: { firstEvent: FROM + 1000, lastEvent: TO - 1000, sources: ['api', 'worker'], rawRetainedFrom: FROM },
    overall,
    operations: [group('search', { count: 600, p95: 800 }), group('login', { count: 400, p95: 120 })],
    errorCategories: [{ category: 'timeout', count: 15, share: 0.75, ops: [{ op: 'search', count: 15 }] },
      { category: 'connection', count: 5, share: 0.25, ops: [{ op: 'login', count: 5 }] }],
    errorGroups: [{ op: 'search', category: 'timeout', fingerprint: 'f1', count: 15, firstSeen: FROM + HOUR, lastSeen: TO - HOUR, example: 'upstream timed out after 30000 ms', code: 'ETIMEDOUT' }],
    comparison: { previous: comparison('previous week', 7 * 24 * HOUR, kpis({ p95: 250, errorRate: 0.01, successRate: 0.99 }), overall), baseline: null },
    trends: { resolution: 'hour', series, opSeries: [], tests: [], changePoints: [], spikes: [] },
    changes: [],
    thresholds: [{ metric: 'p95', op: 'search', value: 800, level: 'critical', target: 200, warning: 500, critical: 750, worse: 'higher' }],
    concurrency: [],
    slowest: [{ ts: FROM + 5 * HOUR, op: 'search', source: 'api', durationMs: 4100, ok: false }],
    dataQuality: { quarantined: 2, quarantineReasons: [{ reason: 'invalid_json', count: 2 }], futureEvents: 0, gaps: [] },
    recommendations: [{
      id: 'r1', rule: 'p95-over-timeout', severity: 'high', category: 'performance', title: 'search p95 is near its timeout',
      evidence: ['p95 800 ms vs timeout 1 s'], recommendation: 'Raise the timeout or speed up search.', action: 'Set SEARCH_TIMEOUT=2000.', commands: [], score: 0.8, ops: ['search'],
    }],
    verdict: { status: 'attention', summary: 'search got slower.' },
    ...over,
  };
}
