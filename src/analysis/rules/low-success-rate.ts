import type { AnalysisDocument, Kpis } from '../analysis-document.js';
import { sampleConfidence, wilsonUpper } from './confidence.js';
import { describeCategories, describeGroup, failureCause, failureShare, topGroups } from './failure-scope.js';
import { fmtExample, fmtWindow } from './format-evidence.js';
import { formatCount, formatMinute, formatPercent } from '../../display/format-units.js';
import type { Finding, Rule, RuleSettings } from './rule.js';

/**
 * Success under `successRate.critical` (90 %, the seed's critical "Low success rate detected") or under
 * `successRate.high` (95 %), for the whole window and for each operation. It names the dominant error groups, as
 * the seed's advice "investigate error patterns" needs them.
 */
export const lowSuccessRate: Rule = {
  id: 'low-success-rate',
  category: 'reliability',
  evaluate(doc, s) {
    const out: Finding[] = [];
    // Operations first: when the window's finding has the same cause, the merge keeps the more precise one.
    for (const o of doc.operations) {
      const f = judge(doc, o, o.op, s);
      if (f) out.push(f);
    }
    const overall = judge(doc, doc.overall, null, s);
    if (overall) out.push({ ...overall, key: 'all' });
    return out;
  },
};

function judge(doc: AnalysisDocument, k: Kpis, op: string | null, s: RuleSettings): Finding | null {
  if (k.count < s.minSamples || k.successRate >= s.successRate.high) return null;
  // Only when the shortfall is beyond sampling noise: the upper bound of the success rate is under the bar too.
  if (wilsonUpper(k.okCount, k.count) >= s.successRate.high) return null;
  const critical = k.successRate < s.successRate.critical;
  const label = op ?? 'all operations';
  const bar = critical ? s.successRate.critical : s.successRate.high;
  const groups = topGroups(doc, op, null, 3);
  const evidence = [
    `${label}: success ${formatPercent(k.successRate)} (${formatCount(k.errorCount)} of ${formatCount(k.count)} events failed, ${fmtWindow(doc.window)}), under the ${critical ? 'critical' : 'high'} bar of ${formatPercent(bar)}`,
  ];
  const cats = describeCategories(doc, op);
  if (cats) evidence.push(`failures by category: ${cats}`);
  for (const g of groups) evidence.push(`error group: ${describeGroup(doc, g)}`);
  const top = groups[0];
  const scope = op ? ` --op '${op}'` : '';
  return {
    severity: critical ? 'critical' : 'high',
    title: `${label}: success rate ${formatPercent(k.successRate)} is under ${formatPercent(bar)}`,
    evidence,
    recommendation: top
      ? `Investigate the error patterns of ${label} and improve their handling, starting with the dominant group (${top.category} in ${top.op}); retry only the transient categories (timeout, connection).`
      : `Investigate the error patterns of ${label} and improve their handling; retry only the transient categories (timeout, connection).`,
    action: top
      ? `Review the failing lines of ${top.op} matching ${fmtExample(top.fingerprint)} (seen ${formatMinute(top.firstSeen)} – ${formatMinute(top.lastSeen)}); oplens analyze${scope} --format json lists every error group with first/last seen`
      : `oplens analyze${scope} --format json lists every error group with first/last seen; review the failing lines from there`,
    impact: failureShare(doc, k.errorCount),
    confidence: sampleConfidence(k.count, s.minSamples),
    ops: op ? [op] : groups.map((g) => g.op).filter((x, i, a) => a.indexOf(x) === i),
    cause: failureCause(doc, op, s),
  };
}
