import { oplensCommand } from '../../display/shell-quote.js';
import type { AnalysisDocument, Kpis } from '../analysis-document.js';
import { sampleConfidence, wilsonUpper } from './confidence.js';
import { describeCategories, describeGroup, failureCause, failureShare, topGroups } from './failure-scope.js';
import { fmtExample, fmtWindow } from './format-evidence.js';
import { formatCount, formatMinute, formatPercent } from '../../display/format-units.js';
import type { Finding, Rule, Severity } from './rule.js';
import { setting, type RuleContext, type SettingValues } from './rule-settings.js';
import { opGlobToRegExp } from '../op-glob.js';

/**
 * A success rate under the levels of the thresholds table (`successRate` entries, the last one matching the
 * operation; `*` for the whole window): under `critical` is critical, under `warning` high, under `target` a medium
 * note, so the rule and the table never disagree about a level. Without a successRate threshold the rule's own
 * bars apply (`rules.successRate`: under `critical` critical, under `high` high). Judged for the whole window and
 * for each operation, and only when the shortfall is beyond sampling noise. It names the dominant error groups.
 */
const SETTINGS = {
  successRate: setting<{ high: number; critical: number }>({
    description: 'success rates below which a group is a high / critical finding, when no successRate threshold applies',
    schema: {
      type: 'object', additionalProperties: false,
      properties: {
        high: { type: 'number', minimum: 0, maximum: 1, description: 'below this: high', 'x-expected': 'a fraction between 0 and 1 (0.95 = 95 %)' },
        critical: { type: 'number', minimum: 0, maximum: 1, description: 'below this: critical', 'x-expected': 'a fraction between 0 and 1 (0.95 = 95 %)' },
      },
    },
    // The seed guides: success under 95 % is high, under 90 % critical.
    default: { high: 0.95, critical: 0.9 },
  }),
};
type Own = RuleContext & SettingValues<typeof SETTINGS>;

export const lowSuccessRate: Rule<typeof SETTINGS> = {
  id: 'low-success-rate',
  category: 'reliability',
  settings: SETTINGS,
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

interface Bar {
  severity: Severity;
  level: string;
  value: number;
}

/** The success-rate levels for an operation (null: the whole window), worst first. */
function successBars(op: string | null, s: Own): Bar[] {
  const t = [...s.thresholds].reverse().find((x) => x.metric === 'successRate' && (op === null ? x.op === '*' : opGlobToRegExp(x.op).test(op)));
  if (!t) {
    return [
      { severity: 'critical', level: 'critical bar (rules.successRate.critical)', value: s.successRate.critical },
      { severity: 'high', level: 'high bar (rules.successRate.high)', value: s.successRate.high },
    ];
  }
  const bars: Bar[] = [];
  if (t.critical !== undefined) bars.push({ severity: 'critical', level: 'critical threshold', value: t.critical });
  if (t.warning !== undefined) bars.push({ severity: 'high', level: 'warning threshold', value: t.warning });
  if (t.target !== undefined) bars.push({ severity: t.warning === undefined ? 'high' : 'medium', level: 'target', value: t.target });
  return bars;
}

function judge(doc: AnalysisDocument, k: Kpis, op: string | null, s: Own): Finding | null {
  if (k.count < s.minSamples) return null;
  // The worst level the success rate is under, beyond sampling noise: the rate's upper bound is under it too.
  const upper = wilsonUpper(k.okCount, k.count);
  const bar = successBars(op, s).find((b) => k.successRate < b.value && upper < b.value);
  if (!bar) return null;
  const label = op ?? 'all operations';
  const groups = topGroups(doc, op, null, 3);
  const evidence = [
    `${label}: success ${formatPercent(k.successRate)} (${formatCount(k.errorCount)} of ${formatCount(k.count)} events failed, ${fmtWindow(doc.window)}), under the ${bar.level} of ${formatPercent(bar.value)}`,
  ];
  const cats = describeCategories(doc, op);
  if (cats) evidence.push(`failures by category: ${cats}`);
  for (const g of groups) evidence.push(`error group: ${describeGroup(doc, g)}`);
  const top = groups[0];
  return {
    severity: bar.severity,
    title: `${label}: success rate ${formatPercent(k.successRate)} is under ${formatPercent(bar.value)}`,
    evidence,
    recommendation: top
      ? `Investigate the error patterns of ${label} and improve their handling, starting with the dominant group (${top.category} in ${top.op}); retry only the transient categories (timeout, connection).`
      : `Investigate the error patterns of ${label} and improve their handling; retry only the transient categories (timeout, connection).`,
    action: top
      ? `Review the failing lines of ${top.op} matching ${fmtExample(top.fingerprint)} (seen ${formatMinute(top.firstSeen)} – ${formatMinute(top.lastSeen)}); the command lists every error group with first/last seen`
      : `Review the failing lines; the command lists every error group with first/last seen`,
    commands: [oplensCommand('analyze', ...(op ? ['--op', op] : []), '--format', 'json')],
    impact: failureShare(doc, k.errorCount),
    confidence: sampleConfidence(k.count, s.minSamples),
    ops: op ? [op] : groups.map((g) => g.op).filter((x, i, a) => a.indexOf(x) === i),
    cause: failureCause(doc, op, s),
  };
}
