import type { AnalysisDocument } from '../analysis-document.js';
import { SIGNIFICANCE, sampleConfidence, trendConfidence } from './confidence.js';
import { describeCategories, trafficShare } from './failure-scope.js';
import { formatCount, formatPercent } from '../../display/format-units.js';
import { levelChange } from './level-change.js';
import type { Finding, Rule } from './rule.js';
import { setting, type RuleContext, type SettingValues } from './rule-settings.js';
import { countOf } from '../resolution.js';

/** One retry per event on average is a storm: the load on the dependency doubled. */
const HIGH_RETRIES_PER_EVENT = 1;
/** A rising retry rate must at least reach this many retries per event late in the window to matter. */
const MIN_LATE_RETRIES = 0.05;

const SETTINGS = {
  retryRate: setting<number>({
    description: 'share of events retried above which retries are a storm',
    schema: { type: 'number', minimum: 0, maximum: 1, 'x-expected': 'a fraction between 0 and 1' },
    default: 0.1,
  }),
};

/**
 * Retries per operation above `retryRate` (share of events retried) or rising significantly across the window →
 * exponential backoff with jitter and a circuit breaker.
 */
export const retryStorm: Rule<typeof SETTINGS> = {
  id: 'retry-storm',
  category: 'reliability',
  settings: SETTINGS,
  evaluate(doc, s) {
    const out: Finding[] = [];
    for (const o of doc.operations) {
      if (o.count < s.minSamples || o.retryRate < s.retryRate) continue;
      const cats = describeCategories(doc, o.op, 3);
      out.push(finding({
        severity: o.retriesPerEvent >= HIGH_RETRIES_PER_EVENT ? 'high' : 'medium',
        op: o.op,
        evidence: [
          `${o.op}: ${formatPercent(o.retryRate)} of ${formatCount(o.count)} events were retried, ${o.retriesPerEvent.toFixed(2)} retries per event (bar: ${formatPercent(s.retryRate)})`,
          ...(cats ? [`${o.op} failures by category: ${cats}`] : []),
        ],
        impact: trafficShare(doc, o.count * o.retryRate),
        confidence: sampleConfidence(o.count, s.minSamples),
      }));
    }
    const rising = risingRetries(doc, s);
    if (rising && !out.length) out.push(rising);
    return out;
  },
};

function risingRetries(doc: AnalysisDocument, s: RuleContext & SettingValues<typeof SETTINGS>): Finding | null {
  const series = doc.trends.series.filter((p) => p.count > 0);
  const ch = levelChange(series.map((p) => p.retriesPerEvent));
  if (!ch || !(ch.mk.pValue < SIGNIFICANCE) || ch.mk.s <= 0 || ch.after < MIN_LATE_RETRIES) return null;
  if (ch.rel !== null && ch.rel < s.regressionThreshold) return null;
  const step = doc.trends.resolution;
  return finding({
    severity: 'medium',
    op: null,
    evidence: [
      `retries per event rose from ${ch.before.toFixed(2)} to ${ch.after.toFixed(2)} across the window (Mann–Kendall p = ${ch.mk.pValue.toPrecision(2)} over ${countOf(step, ch.points)})`,
    ],
    impact: Math.min(1, doc.overall.retryRate),
    confidence: trendConfidence(ch.mk.pValue),
  });
}

function finding(f: { severity: Finding['severity']; op: string | null; evidence: string[]; impact: number; confidence: number }): Finding {
  const label = f.op ?? 'all operations';
  return {
    severity: f.severity,
    title: `Retry storm in ${label}`,
    evidence: f.evidence,
    recommendation: `Retries multiply the load on a failing dependency: back off exponentially with jitter between retries and add a circuit breaker that stops retrying ${label} while the dependency keeps failing.`,
    action: `Cap retries and space them: e.g. CODEX_MAX_RETRIES=3 and CODEX_RETRY_DELAY=2000 doubling per attempt with ±50 % jitter; open the circuit after 5 consecutive failures for 30 s`,
    impact: f.impact,
    confidence: f.confidence,
    ops: f.op ? [f.op] : [],
    cause: `retry:${f.op ?? '*'}`,
  };
}
