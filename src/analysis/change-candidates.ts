import type { AnalysisDocument } from './analysis-document.js';
import type { ChangeCandidate } from './changes.js';
import { normalCdf } from './stats/normal-cdf.js';
import { DAY_MS, HOUR_MS } from '../core/time.js';

/** How far before a spike's hour its onset is looked for, and how far around it events are compared. */
const SPIKE_LOOKBACK = 6 * HOUR_MS;
/** A failure rate "rose" when the rise is this significant (one-sided two-proportion z)… */
const RISE_P = 1e-4;
/** …at least doubled and by at least this many points. */
const RISE_MIN_POINTS = 0.01;

export interface CandidateSettings {
  regressionThreshold: number;
  /** Fewest events on each side before a failure-rate rise is judged. */
  minCount: number;
  /** Fewest failures in the window before a failure-rate rise is judged. */
  minFailures: number;
}

/**
 * The changes worth an onset and an attribution, from what the analysis already found: p95 regressions against
 * the previous window or a baseline, error spikes, change points of the trend series, and failure rates that rose
 * significantly against the previous window. Regressions and rises are looked for from the start of the window
 * before (the change may have begun there); spikes in the hours before them; change points in the window.
 */
export function changeCandidates(doc: AnalysisDocument, s: CandidateSettings): ChangeCandidate[] {
  const w = doc.window;
  const len = w.toMs - w.fromMs;
  const wide = { from: w.fromMs - len, to: w.toMs };
  const reach = Math.min(DAY_MS, len);
  const out: ChangeCandidate[] = [];
  const traffic = (op: string | null) => (op === null ? doc.overall.count : (doc.operations.find((o) => o.op === op)?.count ?? 0)) / Math.max(1, doc.overall.count);
  // Regressions and rises are per group: operations only when grouped by operation.
  const byOp = doc.groupBy === 'op';
  for (const cmp of byOp ? [doc.comparison.previous, doc.comparison.baseline] : []) {
    for (const r of cmp?.regressions ?? []) {
      if (r.rel < s.regressionThreshold) continue;
      out.push({ kind: 'latency', op: r.op, foundBy: 'regression', foundAt: null, before: r.before, after: r.after, search: wide, reach, weight: 2 + r.rel * traffic(r.op) });
    }
  }
  for (const x of doc.trends.spikes) {
    const end = Math.min(x.at + HOUR_MS, w.toMs);
    out.push({
      kind: 'errors', op: null, foundBy: 'spike', foundAt: x.at, before: x.typicalErrorRate, after: x.errorRate,
      search: { from: x.at - SPIKE_LOOKBACK, to: end }, reach: SPIKE_LOOKBACK, weight: 3 + x.errorCount / Math.max(1, doc.overall.errorCount),
    });
  }
  for (const cp of doc.trends.changePoints) {
    if (!(cp.after > cp.before)) continue;
    out.push({
      kind: cp.metric === 'p95' ? 'latency' : 'errors', op: cp.op, foundBy: 'change-point', foundAt: cp.at, before: cp.before, after: cp.after,
      search: { from: w.fromMs, to: w.toMs }, reach, weight: 1 + traffic(cp.op),
    });
  }
  for (const o of byOp ? doc.operations : []) {
    const c = o.change;
    if (!c) continue;
    const rise = failureRise(c.count?.before ?? null, c.errorCount?.before ?? null, o.count, o.errorCount, s);
    if (rise) out.push({ kind: 'errors', op: o.op, foundBy: 'error-rise', foundAt: null, ...rise, search: wide, reach, weight: 1.5 + o.errorCount / Math.max(1, doc.overall.errorCount) });
  }
  return out;
}

/** A failure rate that at least doubled, by a point or more, beyond chance (one-sided two-proportion z-test). */
export function failureRise(n0: number | null, k0: number | null, n1: number, k1: number, s: CandidateSettings): { before: number; after: number } | null {
  if (n0 === null || k0 === null || n0 < s.minCount || n1 < s.minCount || k1 < s.minFailures) return null;
  const before = k0 / n0;
  const after = k1 / n1;
  if (after < 2 * before || after - before < RISE_MIN_POINTS) return null;
  const pooled = (k0 + k1) / (n0 + n1);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1));
  return se > 0 && normalCdf(-(after - before) / se) <= RISE_P ? { before, after } : null;
}
