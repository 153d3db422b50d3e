import { oplensCommand } from '../../display/shell-quote.js';
import type { AnalysisDocument } from '../analysis-document.js';
import { SIGNIFICANCE, sampleConfidence, trendConfidence } from './confidence.js';
import { findOp, trafficShare } from './failure-scope.js';
import { fmtWindow, isoMinute } from './format-evidence.js';
import { formatDuration, formatMinute, formatPercent } from '../../display/format-units.js';
import { levelChange } from './level-change.js';
import { changeEvidence, changeOf, since, where } from './change-evidence.js';
import type { Finding, Rule } from './rule.js';
import type { RuleContext } from './rule-settings.js';
import { countOf, RESOLUTIONS } from '../resolution.js';

/** A p95 that doubled is high. */
const HIGH_REL = 1;

interface Sighting {
  rel: number;
  confidence: number;
  line: string;
}

/**
 * An operation's p95 more than `regressionThreshold` (20 %, the seeds' regression bar) worse than the previous
 * window or the named baseline, or rising through the window (Mann–Kendall on the operation's series, first third
 * vs last third). One finding per operation gathers every view of it and names the change point when there is one.
 */
export const p95Regression: Rule = {
  id: 'p95-regression',
  category: 'performance',
  evaluate(doc, s) {
    const byOp = new Map<string, Sighting[]>();
    const add = (op: string, x: Sighting) => byOp.set(op, [...(byOp.get(op) ?? []), x]);
    for (const cmp of [doc.comparison.previous, doc.comparison.baseline]) {
      if (!cmp) continue;
      for (const r of cmp.regressions) {
        const before = findOp(doc, r.op)?.change?.count?.before ?? null;
        if (r.rel < s.regressionThreshold) continue;
        add(r.op, {
          rel: r.rel,
          confidence: sampleConfidence(Math.min(before ?? s.minSamples, findOp(doc, r.op)?.count ?? 0), s.minSamples),
          line: `${r.op}: p95 ${formatDuration(r.before)} → ${formatDuration(r.after)} (+${formatPercent(r.rel)}) against the ${cmp.label} (${fmtWindow(cmp.window)})`,
        });
      }
    }
    for (const o of doc.trends.opSeries) {
      const x = withinWindow(doc, o, s);
      if (x) add(o.op, x);
    }
    const out: Finding[] = [];
    for (const [op, sightings] of byOp) {
      const kpis = findOp(doc, op);
      if (!kpis || kpis.count < s.minSamples) continue;
      const rel = Math.max(...sightings.map((x) => x.rel));
      const evidence = sightings.map((x) => x.line);
      const cp = doc.trends.changePoints.find((c) => c.metric === 'p95' && c.op === op && c.after > c.before);
      if (cp) evidence.push(`${op}: change point at ${formatMinute(cp.at)}, p95 ${formatDuration(cp.before)} → ${formatDuration(cp.after)}`);
      // When and where: the onset to the minute and the dimension values that carry the slowdown.
      const ch = changeOf(doc, 'latency', op);
      evidence.push(...changeEvidence(ch));
      const at = ch?.onsetMs ?? cp?.at ?? null;
      const w = where(ch);
      const recent = doc.trends.series.at(-1)?.t ?? doc.window.fromMs;
      out.push({
        severity: rel >= HIGH_REL ? 'high' : 'medium',
        title: `${op}: p95 regressed by ${formatPercent(rel)}${since(ch)}`,
        evidence,
        recommendation: `Find what changed in ${op}${at !== null ? ` around ${formatMinute(at)}` : ''}${w ? ` (${w})` : ''} (a deploy, a dependency, a config or data-volume change) and fix or roll it back.`,
        action: `${at !== null ? 'Compare the hour after the change with the hour before it, then look' : 'Look'} at its slowest recent runs (slowest[]); after the fix, save a baseline (oplens baseline save NAME) to guard against the next regression`,
        commands: [
          ...(at !== null ? [oplensCommand('incident', '--at', isoMinute(at), '--window', '2h')] : []),
          oplensCommand('analyze', '--op', op, '--since', isoMinute(recent), '--format', 'json'),
        ],
        impact: trafficShare(doc, kpis.count),
        confidence: Math.max(...sightings.map((x) => x.confidence)),
        ops: [op],
        cause: `latency:${op}`,
      });
    }
    return out;
  },
};

function withinWindow(doc: AnalysisDocument, o: AnalysisDocument['trends']['opSeries'][number], s: RuleContext): Sighting | null {
  // Buckets with fewer events than a tenth of the minimum sample give p95s too noisy to compare.
  const minPerBucket = Math.max(1, Math.ceil(s.minSamples / 10));
  const ch = levelChange(o.p95.map((p, i) => (o.count[i] >= minPerBucket ? p : null)));
  if (!ch || ch.rel === null || ch.rel < s.regressionThreshold) return null;
  if (!(ch.mk.pValue < SIGNIFICANCE) || ch.mk.s <= 0) return null;
  const traffic = o.count.reduce((a, b) => a + b, 0);
  const step = doc.trends.resolution;
  return {
    rel: ch.rel,
    confidence: Math.min(trendConfidence(ch.mk.pValue), sampleConfidence(traffic, s.minSamples)),
    line: `${o.op}: p95 rose from ${formatDuration(ch.before)} to ${formatDuration(ch.after)} (+${formatPercent(ch.rel)}) through ${fmtWindow(doc.window)}, ${formatDuration(Math.max(0, ch.slopePerStep))} per ${RESOLUTIONS[step].unit} (Mann–Kendall p = ${ch.mk.pValue.toPrecision(2)}, ${countOf(step, ch.points)})`,
  };
}
