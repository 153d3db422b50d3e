import type { AnalysisSettings } from '../analysis-settings.js';
import type { AnalysisDocument, Recommendation, ThresholdResult } from '../analysis-document.js';
import { wilsonUpper } from './confidence.js';
import { formatCount, formatDuration, formatPercent } from '../../display/format-units.js';
import { RULES, type RulesConfig } from './registry.js';
import type { Finding, Rule, Severity } from './rule.js';
import type { RuleContext } from './rule-settings.js';

/** Every rule's settings, as the rules read them. */
export type RuleSettings = RuleContext & Omit<RulesConfig, 'regressionThreshold'>;

/** Severity weight in the score; a critical finding touching a fifth of the traffic outranks a high one touching a quarter. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 1, high: 0.7, medium: 0.4, low: 0.1 };
const SEVERITY_RANK: Record<Severity, number> = { critical: 3, high: 2, medium: 1, low: 0 };

interface Scored {
  rule: Pick<Rule, 'id' | 'category'>;
  finding: Finding;
  score: number;
}

/**
 * Runs every enabled rule on the analysis document, merges findings about the same cause, scores and ranks them,
 * and gives the verdict. score = severity weight × impact × confidence (rounded to 4 decimals so that equal scores
 * compare equal); ties are broken by rule id, then operation, so the order never depends on rule evaluation order.
 */
export function recommend(
  doc: AnalysisDocument,
  config: AnalysisSettings,
): { recommendations: Recommendation[]; verdict: AnalysisDocument['verdict'] } {
  const settings = ruleSettings(config);
  const disabled = new Set(settings.disabled);
  const scored: Scored[] = [];
  for (const rule of RULES) {
    if (disabled.has(rule.id)) continue;
    for (const finding of rule.evaluate(doc, settings)) scored.push({ rule, finding, score: scoreOf(finding) });
  }
  const recommendations = assignIds(mergeByCause(scored).map(toRecommendation)).sort(byRank);
  return { recommendations, verdict: verdictOf(doc, recommendations, settings.minSamples) };
}

/** The `rules` config as the rules read it: the regression bar falls back to the analysis's. */
export function ruleSettings(config: AnalysisSettings): RuleSettings {
  return { ...config.rules, regressionThreshold: config.rules.regressionThreshold ?? config.analysis.regressionThreshold, thresholds: config.thresholds };
}

export function scoreOf(f: Finding): number {
  return round4(SEVERITY_WEIGHT[f.severity] * clamp01(f.impact) * clamp01(f.confidence));
}

/**
 * One entry per cause. The strongest member (highest severity, then score) gives the title, advice and action;
 * the others' evidence is folded in, their operations joined, and the score is the best member's score.
 */
function mergeByCause(scored: Scored[]): Array<{ kept: Scored; members: Scored[]; score: number }> {
  const groups = new Map<string, Scored[]>();
  for (const s of scored) groups.set(s.finding.cause, [...(groups.get(s.finding.cause) ?? []), s]);
  return [...groups.values()].map((members) => {
    // Full ties keep evaluation order (registry order, then each rule's own), which is deterministic.
    const sorted = [...members].sort(
      (a, b) => SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity] || b.score - a.score,
    );
    return { kept: sorted[0], members: sorted, score: Math.max(...members.map((m) => m.score)) };
  });
}

function toRecommendation(g: { kept: Scored; members: Scored[]; score: number }): Recommendation & { baseId: string } {
  const f = g.kept.finding;
  const evidence = [...f.evidence];
  const ops = [...f.ops];
  for (const m of g.members.slice(1)) {
    for (const line of m.finding.evidence) if (!evidence.includes(line)) evidence.push(line);
    for (const op of m.finding.ops) if (!ops.includes(op)) ops.push(op);
  }
  const others = [...new Set(g.members.slice(1).map((m) => m.rule.id))].filter((id) => id !== g.kept.rule.id);
  if (others.length) evidence.push(`also seen by: ${others.join(', ')}`);
  return {
    baseId: `${g.kept.rule.id}:${f.key ?? f.ops[0] ?? 'all'}`,
    id: '',
    rule: g.kept.rule.id,
    severity: f.severity,
    category: g.kept.rule.category,
    title: f.title,
    evidence,
    recommendation: f.recommendation,
    action: f.action,
    commands: f.commands ?? [],
    score: g.score,
    ops,
    ...(f.storeWide ? { storeWide: true } : {}),
  };
}

/** `rule:op`, with `#2`, `#3` … for the rare second finding of one rule on one subject. */
function assignIds(recs: Array<Recommendation & { baseId: string }>): Recommendation[] {
  const seen = new Map<string, number>();
  return recs.map(({ baseId, ...r }) => {
    const n = (seen.get(baseId) ?? 0) + 1;
    seen.set(baseId, n);
    return { ...r, id: n === 1 ? baseId : `${baseId}#${n}` };
  });
}

function byRank(a: Recommendation, b: Recommendation): number {
  return Number(!!a.storeWide) - Number(!!b.storeWide) || b.score - a.score || a.rule.localeCompare(b.rule) || (a.ops[0] ?? '').localeCompare(b.ops[0] ?? '') || a.id.localeCompare(b.id);
}

/**
 * The verdict follows the findings; threshold breaches (which are not findings: a default latency target says
 * little about a batch job) still keep a window from being called healthy, and are named in the summary.
 */
function verdictOf(doc: AnalysisDocument, all: Recommendation[], minSamples: number): AnalysisDocument['verdict'] {
  const recs = all.filter((r) => !r.storeWide);
  const count = (s: Severity) => recs.filter((r) => r.severity === s).length;
  const top = recs.find((r) => r.severity !== 'low');
  const breaches = breachNote(doc, minSamples);
  if (count('critical') > 0) {
    return { status: 'critical', summary: `${tally(recs)}; top: ${recs.find((r) => r.severity === 'critical')?.title}${breaches}` };
  }
  if (top) return { status: 'attention', summary: `${tally(recs)}; top: ${top.title}${breaches}` };
  if (breaches) return { status: 'attention', summary: `no finding above low${breaches}` };
  const o = doc.overall;
  const kpis = [
    `${formatCount(o.count)} events`,
    `success ${formatPercent(o.successRate)}`,
    ...(o.p95 !== null ? [`p95 ${formatDuration(o.p95)}`] : []),
    ...(o.p99 !== null ? [`p99 ${formatDuration(o.p99)}`] : []),
    `timeouts ${formatPercent(o.timeoutRate)}`,
  ];
  const notes = count('low');
  return {
    status: 'healthy',
    summary: `${kpis.join(', ')}; no finding above low${notes ? ` (${notes} low-severity note${notes === 1 ? '' : 's'})` : ''}`,
  };
}

/**
 * `; 2 thresholds breached (critical: p95 of search)`, or '' when none is. Only breaches the sample supports count
 * (1 failure in 9 events is under a 90 % success bar, but says nothing yet): a rate's whole 99 % interval must be
 * past the level, a percentile must rest on at least `minSamples` durations.
 */
function breachNote(doc: AnalysisDocument, minSamples: number): string {
  const breached = doc.thresholds.filter((t) => t.level !== 'ok' && supported(doc, t, minSamples));
  if (breached.length === 0) return '';
  const worst = breached.find((t) => t.level === 'critical') ?? breached[0];
  return `; ${breached.length} threshold${breached.length === 1 ? '' : 's'} breached (${worst.level}: ${worst.metric} of ${worst.op})`;
}

function supported(doc: AnalysisDocument, t: ThresholdResult, minSamples: number): boolean {
  const k = doc.groupBy === 'op' ? doc.operations.find((o) => o.op === t.op) : undefined;
  const limit = t.level === 'critical' ? t.critical : t.warning ?? t.target;
  if (!k || limit === undefined) return true;
  switch (t.metric) {
    case 'successRate':
      return wilsonUpper(k.okCount, k.count) < limit;
    case 'errorRate':
      return 1 - wilsonUpper(k.count - k.errorCount, k.count) > limit;
    case 'timeoutRate':
      return 1 - wilsonUpper(k.count - k.timeoutCount, k.count) > limit;
    case 'p50':
    case 'p90':
    case 'p95':
    case 'p99':
      return k.durationCount >= minSamples;
    default:
      return true;
  }
}

/** `1 critical, 2 high, 1 medium finding(s)` */
function tally(recs: Recommendation[]): string {
  const parts = (['critical', 'high', 'medium', 'low'] as const)
    .map((s) => [s, recs.filter((r) => r.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return `${parts.join(', ')} finding${recs.length === 1 ? '' : 's'}`;
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
