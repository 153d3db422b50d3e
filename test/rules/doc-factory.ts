import { ANALYSIS_SCHEMA_VERSION, type AnalysisDocument, type GroupKpis, type Kpis } from '../../src/analysis/analysis-document.js';
import { trendTest } from '../../src/analysis/trend-test.js';
import { defaultConfig, type OplensConfig } from '../../src/config/load-config.js';
import type { RulesConfig } from '../../src/analysis/rules/registry.js';

/**
 * Analysis documents for rule tests: a healthy week (six operations shaped like fixtures/generate-log.mjs's
 * defaults) that each test bends in one place. Overall KPIs and error categories are derived from the operation
 * specs, so a test changes an operation and the rest stays consistent.
 */

export const FROM = Date.UTC(2026, 10, 9);
export const DAY = 86_400_000;
export const TO = FROM + 7 * DAY;

export interface OpSpec {
  op: string;
  count: number;
  /** Failures per category. */
  errors?: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
  max?: number;
  durationCount?: number;
  retryRate?: number;
  retriesPerEvent?: number;
}

export function healthyOps(): OpSpec[] {
  return [
    { op: 'GET /api/orders', count: 40_000, errors: { timeout: 200, connection: 19 }, p50: 45, p95: 100, p99: 150 },
    { op: 'POST /api/orders', count: 15_000, errors: { validation: 150, server_error: 150 }, p50: 120, p95: 320, p99: 480 },
    { op: 'GET /api/users/:id', count: 25_000, errors: { not_found: 125 }, p50: 20, p95: 38, p99: 50 },
    { op: 'search', count: 12_000, errors: { timeout: 180, rate_limit: 19 }, p50: 300, p95: 1100, p99: 1900 },
    { op: 'report.export', count: 3_000, errors: { timeout: 75, memory: 75 }, p50: 2500, p95: 7800, p99: 12_800 },
    { op: 'auth.login', count: 5_000, errors: { auth: 100 }, p50: 80, p95: 130, p99: 160 },
  ];
}

/** Deterministic ±3 % wiggle for flat series: noise without a trend. */
export const WIGGLE = [1, 1.03, 0.98, 1.01, 0.99, 1.02, 0.97];

export function kpis(spec: Omit<OpSpec, 'op'>, extra: Partial<Kpis> = {}): Kpis {
  const errorCount = Object.values(spec.errors ?? {}).reduce((a, b) => a + b, 0);
  const timeoutCount = spec.errors?.timeout ?? 0;
  const minutes = (TO - FROM) / 60_000;
  return {
    count: spec.count,
    okCount: spec.count - errorCount,
    errorCount,
    timeoutCount,
    successRate: spec.count ? (spec.count - errorCount) / spec.count : 0,
    errorRate: spec.count ? errorCount / spec.count : 0,
    timeoutRate: spec.count ? timeoutCount / spec.count : 0,
    retryRate: spec.retryRate ?? 0,
    retriesPerEvent: spec.retriesPerEvent ?? 0,
    throughput: { meanPerMin: spec.count / minutes, peakPerMin: Math.ceil((spec.count / minutes) * 4), peakMinute: FROM + 3 * DAY },
    durationCount: spec.durationCount ?? spec.count,
    mean: spec.p50 * 1.2,
    min: spec.p50 / 10,
    p50: spec.p50,
    p90: (spec.p50 + spec.p95) / 2,
    p95: spec.p95,
    p99: spec.p99,
    p999: spec.p99 * 1.5,
    max: spec.max ?? spec.p99 * 2,
    resources: { memoryMb: { max: 600, mean: 500 }, cpuPercent: null, concurrency: { max: 16, mean: 8.5 } },
    ...extra,
  };
}

/** A document whose every part is consistent with `ops`; the trends are flat and the data clean. */
export function buildDoc(ops: OpSpec[] = healthyOps()): AnalysisDocument {
  const operations: GroupKpis[] = ops.map((o) => ({ op: o.op, ...kpis(o) }));
  const total = ops.reduce((n, o) => n + o.count, 0);
  const errors: Record<string, number> = {};
  for (const o of ops) for (const [c, n] of Object.entries(o.errors ?? {})) errors[c] = (errors[c] ?? 0) + n;
  const errorTotal = Object.values(errors).reduce((a, b) => a + b, 0);
  const retried = ops.reduce((n, o) => n + o.count * (o.retryRate ?? 0), 0);
  const retries = ops.reduce((n, o) => n + o.count * (o.retriesPerEvent ?? 0), 0);
  const weightedMedian = (k: 'p50' | 'p95' | 'p99') => [...ops].sort((a, b) => a[k] - b[k]).find((_, i, a) => a.slice(0, i + 1).reduce((n, o) => n + o.count, 0) >= total / 2)?.[k] ?? 0;
  const overall = kpis(
    { count: total, errors, p50: weightedMedian('p50'), p95: Math.max(...ops.map((o) => o.p95)) / 2, p99: Math.max(...ops.map((o) => o.p99)) / 2 },
    { retryRate: total ? retried / total : 0, retriesPerEvent: total ? retries / total : 0 },
  );
  const errorCategories = Object.entries(errors)
    .map(([category, count]) => ({
      category,
      count,
      share: count / errorTotal,
      ops: ops.filter((o) => (o.errors?.[category] ?? 0) > 0).map((o) => ({ op: o.op, count: o.errors![category] })).sort((a, b) => b.count - a.count),
    }))
    .sort((a, b) => b.count - a.count);
  const errorGroups = ops.flatMap((o) =>
    Object.entries(o.errors ?? {}).map(([category, count]) => ({
      op: o.op,
      category,
      fingerprint: `${category} failure in ${o.op} after <n> ms`,
      count,
      firstSeen: FROM + 3_600_000,
      lastSeen: TO - 3_600_000,
      example: `${category} failure in ${o.op} after 1234 ms`,
      code: category === 'timeout' ? 'ETIMEDOUT' : category === 'connection' ? 'ECONNRESET' : null,
    })),
  );
  const days = Array.from({ length: 7 }, (_, i) => FROM + i * DAY);
  return retest({
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    now: new Date(TO).toISOString(),
    window: { from: new Date(FROM).toISOString(), to: new Date(TO).toISOString(), fromMs: FROM, toMs: TO },
    groupBy: 'op',
    filters: {},
    method: { percentiles: 'sketch', relativeError: 0.01, description: 'test' },
    coverage: { firstEvent: FROM + 1000, lastEvent: TO - 1000, sources: ['api'], rawRetainedFrom: FROM },
    overall,
    operations,
    errorCategories,
    errorGroups,
    comparison: { previous: null, baseline: null },
    trends: {
      resolution: 'day',
      series: days.map((t, i) => ({
        t,
        count: total / 7,
        errorCount: errorTotal / 7,
        errorRate: errorTotal / total,
        timeoutCount: (errors.timeout ?? 0) / 7,
        meanPerMin: (total / 7 / 1440) * WIGGLE[i],
        p50: overall.p50! * WIGGLE[i],
        p95: overall.p95! * WIGGLE[(i + 2) % 7],
        p99: overall.p99! * WIGGLE[(i + 4) % 7],
        memoryMaxMb: 600 * WIGGLE[(i + 1) % 7],
        concurrencyMax: 16,
        retriesPerEvent: overall.retriesPerEvent,
      })),
      opSeries: ops.map((o, k) => ({ op: o.op, p95: days.map((_, i) => o.p95 * WIGGLE[(i + k) % 7]), count: days.map(() => o.count / 7) })),
      tests: [],
      changePoints: [],
      spikes: [],
    },
    changes: [],
    thresholds: [],
    concurrency: Array.from({ length: 16 }, (_, i) => ({
      level: i + 1,
      count: Math.round(total / 16),
      errorRate: (errorTotal / total) * WIGGLE[i % 7],
      p95: overall.p95! * WIGGLE[(i + 3) % 7],
    })),
    slowest: ops.slice(0, 3).map((o, i) => ({ ts: FROM + i * DAY, op: o.op, source: 'api', durationMs: o.p99 * 3, ok: true })),
    dataQuality: { quarantined: 0, quarantineReasons: [], futureEvents: 0, gaps: [] },
    recommendations: [],
    verdict: { status: 'healthy', summary: '' },
  });
}

/** Recomputes the window trend tests after a test changed the series, as the analysis would. */
export function retest(doc: AnalysisDocument): AnalysisDocument {
  const rule = { alpha: defaultConfig().analysis.trendAlpha, minChange: defaultConfig().analysis.trendMinChange };
  const s = doc.trends.series;
  const metrics: Array<[string, Array<number | null>]> = [
    ['p95', s.map((p) => p.p95)],
    ['errorRate', s.map((p) => (p.count > 0 ? p.errorRate : null))],
    ['throughput', s.map((p) => p.meanPerMin)],
    ['memoryMb', s.map((p) => p.memoryMaxMb)],
  ];
  doc.trends.tests = metrics.map(([m, ys]) => trendTest(m, ys, rule)).filter((t) => t !== null);
  return doc;
}

/** The default config with some rule settings replaced. */
export function config(rules: Partial<RulesConfig> = {}): OplensConfig {
  const c = defaultConfig();
  return { ...c, rules: { ...c.rules, ...rules } };
}

/** Operations of the healthy week with one of them replaced (by name) or added. */
export function opsWith(...changed: OpSpec[]): OpSpec[] {
  const out = healthyOps().map((o) => changed.find((c) => c.op === o.op) ?? o);
  for (const c of changed) if (!out.some((o) => o.op === c.op)) out.push(c);
  return out;
}

export function healthyOp(name: string): OpSpec {
  const o = healthyOps().find((x) => x.op === name);
  if (!o) throw new Error(`no healthy op ${name}`);
  return o;
}
