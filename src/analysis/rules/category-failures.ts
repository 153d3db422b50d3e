import type { AnalysisDocument } from '../analysis-document.js';
import { sampleConfidence } from './confidence.js';
import { categoryClass } from '../../ingest/normalize/classify-error.js';
import { failureShare } from './failure-scope.js';
import { fmtWindow } from './format-evidence.js';
import { formatCount, formatPercent } from '../../display/format-units.js';
import type { Severity } from './rule.js';
import type { RuleContext } from './rule-settings.js';

/**
 * One class of failure across the window, as the timeout, connection and rate-limit rules see it: every category
 * the logs wrote that belongs to the class (`network` and `connection` are both connection failures).
 */
export interface CategoryFailures {
  category: string;
  /** The categories as the logs wrote them, largest first. */
  members: Array<{ category: string; count: number }>;
  count: number;
  /** Share of all failures. */
  share: number;
  /** Share of all events. */
  rate: number;
  ops: Array<{ op: string; count: number }>;
  /** The operation holding at least `dominantShare` of this category's failures, else null. */
  dominantOp: string | null;
  severity: Severity;
  confidence: number;
  /** `timeout:search` or `timeout:*`, shared with the other rules that see the same problem. */
  cause: string;
  evidence: string[];
}

/** Share of all events failing with the category above which it is high / medium (below: a low note). */
const HIGH_RATE = 0.05;
const MEDIUM_RATE = 0.01;

/** Null when the class has fewer than `minFailures` failures: a handful is not a pattern. */
export function categoryFailures(doc: AnalysisDocument, category: string, s: RuleContext): CategoryFailures | null {
  const members = doc.errorCategories.filter((x) => categoryClass(x.category) === category);
  const count = members.reduce((n, m) => n + m.count, 0);
  if (count === 0 || count < s.minFailures || doc.overall.count === 0) return null;
  const rate = count / doc.overall.count;
  const share = failureShare(doc, count);
  const byOp = new Map<string, number>();
  for (const m of members) for (const o of m.ops) byOp.set(o.op, (byOp.get(o.op) ?? 0) + o.count);
  const ops = [...byOp].map(([op, n]) => ({ op, count: n })).sort((a, b) => b.count - a.count || a.op.localeCompare(b.op));
  const dom = ops[0] && ops[0].count / count >= s.dominantShare ? ops[0].op : null;
  const named = members.map((m) => ({ category: m.category, count: m.count })).sort((a, b) => b.count - a.count);
  const as = named.length === 1 && named[0].category === category ? '' : ` (as the logs name them: ${named.map((m) => `${m.category} ${formatCount(m.count)}`).join(', ')})`;
  const evidence = [
    `${formatCount(count)} ${category} failures${as}: ${formatPercent(share)} of the ${formatCount(doc.overall.errorCount)} failures and ${formatPercent(rate)} of all ${formatCount(doc.overall.count)} events (${fmtWindow(doc.window)})`,
    `by operation: ${ops.slice(0, 4).map((o) => `${o.op} ${formatCount(o.count)} (${formatPercent(o.count / count)})`).join(', ')}`,
  ];
  const codes = codeCounts(doc, category);
  if (codes.length) evidence.push(`error codes: ${codes.slice(0, 4).map((x) => `${x.code} ×${formatCount(x.count)}`).join(', ')}`);
  return {
    category,
    members: named,
    count,
    share,
    rate,
    ops,
    dominantOp: dom,
    severity: rate >= HIGH_RATE ? 'high' : rate >= MEDIUM_RATE ? 'medium' : 'low',
    confidence: sampleConfidence(count, s.minFailures),
    cause: `${category}:${dom ?? '*'}`,
    evidence,
  };
}

/** The example message of the largest group of the class, for the action line. */
export function categoryExample(doc: AnalysisDocument, category: string): string | null {
  let best: { count: number; example: string } | null = null;
  for (const g of doc.errorGroups) if (categoryClass(g.category) === category && (!best || g.count > best.count)) best = g;
  return best?.example ?? null;
}

function codeCounts(doc: AnalysisDocument, category: string): Array<{ code: string; count: number }> {
  const by = new Map<string, number>();
  for (const g of doc.errorGroups) if (categoryClass(g.category) === category && g.code) by.set(g.code, (by.get(g.code) ?? 0) + g.count);
  return [...by].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}
