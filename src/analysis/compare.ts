import type { AnalysisWindow, Comparison, Delta, GroupKpis, KpiChange, Kpis } from './analysis-document.js';

/** Every numeric KPI, by its path in Kpis; these are the keys of a KpiChange. */
export const KPI_PATHS = [
  'count', 'okCount', 'errorCount', 'timeoutCount', 'successRate', 'errorRate', 'timeoutRate', 'retryRate',
  'retriesPerEvent', 'throughput.meanPerMin', 'throughput.peakPerMin', 'durationCount', 'mean', 'min', 'p50', 'p90',
  'p95', 'p99', 'p999', 'max', 'resources.memoryMb.max', 'resources.memoryMb.mean', 'resources.cpuPercent.max',
  'resources.cpuPercent.mean', 'resources.concurrency.max', 'resources.concurrency.mean',
] as const;

export function kpiValue(k: Kpis, path: string): number | null {
  let v: unknown = k;
  for (const part of path.split('.')) v = v === null || v === undefined ? undefined : (v as Record<string, unknown>)[part];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function delta(before: number | null, after: number | null): Delta {
  const abs = before !== null && after !== null ? after - before : null;
  return { before, after, abs, rel: abs !== null && before !== 0 ? abs / (before as number) : null };
}

export function kpiChange(before: Kpis, after: Kpis): KpiChange {
  return Object.fromEntries(KPI_PATHS.map((p) => [p, delta(kpiValue(before, p), kpiValue(after, p))]));
}

export interface RegressionRule {
  /** Relative p95 worsening that counts (0.2 = 20 %). */
  threshold: number;
  /** Fewest events with a duration in both windows. */
  minCount: number;
}

export interface Side {
  window: AnalysisWindow;
  overall: Kpis;
  groups: GroupKpis[];
}

/** `after` against `before`: every KPI's change, and the groups whose p95 got worse by more than the rule allows. */
export function compareWindows(label: string, before: Side, after: Side, rule: RegressionRule): Comparison {
  const prior = new Map(before.groups.map((g) => [g.op, g]));
  const regressions: Comparison['regressions'] = [];
  for (const g of after.groups) {
    const b = prior.get(g.op);
    if (!b || b.p95 === null || g.p95 === null || b.p95 <= 0) continue;
    if (b.durationCount < rule.minCount || g.durationCount < rule.minCount) continue;
    const rel = (g.p95 - b.p95) / b.p95;
    if (rel > rule.threshold) regressions.push({ op: g.op, before: b.p95, after: g.p95, rel });
  }
  regressions.sort((x, y) => y.rel - x.rel);
  return { label, window: before.window, overall: before.overall, change: kpiChange(before.overall, after.overall), regressions };
}

/** Sets each group's change against the same group in `before`, when it had events there. */
export function attachGroupChanges(groups: GroupKpis[], before: GroupKpis[]): void {
  const prior = new Map(before.map((g) => [g.op, g]));
  for (const g of groups) {
    const b = prior.get(g.op);
    if (b && b.count > 0) g.change = kpiChange(b, g);
  }
}

export function analysisWindow(fromMs: number, toMs: number): AnalysisWindow {
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), fromMs, toMs };
}
