import type { AnalysisDocument } from '../analysis-document.js';
import { sampleConfidence } from './confidence.js';
import { dominantOp, failureShare, topGroups } from './failure-scope.js';
import { fmtWindow } from './format-evidence.js';
import { formatCount, formatPercent } from '../../format/format-units.js';
import type { RuleSettings, Severity } from './rule.js';

/** One error category across the window, as the timeout, connection and rate-limit rules see it. */
export interface CategoryFailures {
  category: string;
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

/** Null when the category has fewer than `minFailures` failures: a handful is not a pattern. */
export function categoryFailures(doc: AnalysisDocument, category: string, s: RuleSettings): CategoryFailures | null {
  const c = doc.errorCategories.find((x) => x.category === category);
  if (!c || c.count < s.minFailures || doc.overall.count === 0) return null;
  const rate = c.count / doc.overall.count;
  const share = failureShare(doc, c.count);
  const ops = [...c.ops].sort((a, b) => b.count - a.count || a.op.localeCompare(b.op));
  const dom = dominantOp(doc, category, s.dominantShare);
  const evidence = [
    `${formatCount(c.count)} ${category} failures: ${formatPercent(share)} of the ${formatCount(doc.overall.errorCount)} failures and ${formatPercent(rate)} of all ${formatCount(doc.overall.count)} events (${fmtWindow(doc.window)})`,
    `by operation: ${ops.slice(0, 4).map((o) => `${o.op} ${formatCount(o.count)} (${formatPercent(o.count / c.count)})`).join(', ')}`,
  ];
  const codes = codeCounts(doc, category);
  if (codes.length) evidence.push(`error codes: ${codes.slice(0, 4).map((x) => `${x.code} ×${formatCount(x.count)}`).join(', ')}`);
  return {
    category,
    count: c.count,
    share,
    rate,
    ops,
    dominantOp: dom,
    severity: rate >= HIGH_RATE ? 'high' : rate >= MEDIUM_RATE ? 'medium' : 'low',
    confidence: sampleConfidence(c.count, s.minFailures),
    cause: `${category}:${dom ?? '*'}`,
    evidence,
  };
}

/** The example message of the largest group of the category, for the action line. */
export function categoryExample(doc: AnalysisDocument, category: string): string | null {
  return topGroups(doc, null, category, 1)[0]?.example ?? null;
}

function codeCounts(doc: AnalysisDocument, category: string): Array<{ code: string; count: number }> {
  const by = new Map<string, number>();
  for (const g of doc.errorGroups) if (g.category === category && g.code) by.set(g.code, (by.get(g.code) ?? 0) + g.count);
  return [...by].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}
