import { ConfigError } from '../errors.js';
import { WORSE, type ThresholdConfig, type ThresholdMetric } from './threshold-config.js';
import type { GroupKpis, Kpis, Level, ThresholdResult } from './analysis-document.js';
import { matchOps } from './op-glob.js';

export const LEVEL_RANK: Record<Level, number> = { ok: 0, warning: 1, critical: 2 };

/**
 * Checks every configured threshold against each operation its glob matches (a p95 target is an
 * endpoint's, not an average over endpoints). When several thresholds of one metric match an operation, the
 * last one in the list applies, so `{"op": "*"}` first and `{"op": "report.*"}` after it gives exports their own limit. A glob that matches no operation the store knows is a config
 * error, never a silent pass; one whose operations are known but idle in the window yields a single row with
 * no value (throughput 0), so a missing operation is visible too. Operations outside --op/--source are skipped.
 */
export function evaluateThresholds(
  thresholds: readonly ThresholdConfig[],
  opKpis: readonly GroupKpis[],
  knownOps: readonly string[],
  scopeOps: readonly string[] | null,
): ThresholdResult[] {
  const results: Array<ThresholdResult & { order: number }> = [];
  const scope = scopeOps ? new Set(scopeOps) : null;
  const effective = new Map<string, number>(); // metric + op -> index of the threshold that applies
  thresholds.forEach((t, i) => {
    for (const op of matchOps(t.op, knownOps)) effective.set(`${t.metric}\u0000${op}`, i);
  });
  thresholds.forEach((t, i) => {
    const known = matchOps(t.op, knownOps);
    if (known.length === 0) {
      const list = knownOps.slice(0, 8).join(', ') + (knownOps.length > 8 ? `, … (${knownOps.length - 8} more)` : '');
      throw new ConfigError(`config thresholds[${i}].op: "${t.op}" matches no operation in the store`, `known operations: ${list || 'none'}`);
    }
    const inScope = scopeOps ? known.filter((op) => scope!.has(op)) : known;
    if (inScope.length === 0) return;
    const inScopeSet = new Set(inScope);
    const rows = opKpis.filter((g) => inScopeSet.has(g.op) && effective.get(`${t.metric}\u0000${g.op}`) === i);
    if (rows.length === 0) {
      if (inScope.some((op) => effective.get(`${t.metric}\u0000${op}`) !== i)) return; // overridden, not idle
      results.push({ ...result(t, t.op, t.metric === 'throughput' ? 0 : null), order: i });
      return;
    }
    for (const g of rows) results.push({ ...result(t, g.op, metricValue(g, t.metric)), order: i });
  });
  return results
    .sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || a.order - b.order)
    .map(({ order: _order, ...r }) => r);
}

function result(t: ThresholdConfig, op: string, value: number | null): ThresholdResult {
  const worse = WORSE[t.metric];
  const r: ThresholdResult = { metric: t.metric, op, value, level: levelOf(value, t, worse), worse };
  if (t.target !== undefined) r.target = t.target;
  if (t.warning !== undefined) r.warning = t.warning;
  if (t.critical !== undefined) r.critical = t.critical;
  return r;
}

/** Strictly worse than `critical` is critical; strictly worse than `warning` (or, without one, `target`) a warning. */
export function levelOf(value: number | null, t: Pick<ThresholdConfig, 'target' | 'warning' | 'critical'>, worse: 'higher' | 'lower'): Level {
  if (value === null) return 'ok';
  const beyond = (limit: number) => (worse === 'higher' ? value > limit : value < limit);
  if (t.critical !== undefined && beyond(t.critical)) return 'critical';
  const warn = t.warning ?? t.target;
  if (warn !== undefined && beyond(warn)) return 'warning';
  return 'ok';
}

function metricValue(k: Kpis, metric: ThresholdMetric): number | null {
  switch (metric) {
    case 'throughput':
      return k.throughput.meanPerMin;
    case 'memoryMb':
      return k.resources.memoryMb?.max ?? null;
    default:
      return k[metric];
  }
}
