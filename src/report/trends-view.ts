import type { AnalysisDocument } from '../analysis/analysis-document.js';
import { capList, type Capped } from './capped.js';
import { cleanLogText } from './escape.js';
import { formatCount, formatMetric, formatMetricChange, formatPercent, formatRelChange, formatMinute } from '../display/format-units.js';
import { metricLabel } from './kpi-rows.js';
import { RESOLUTIONS } from '../analysis/resolution.js';

/** The "trends and regressions" section: what moved inside the window and against the previous one. */
export interface TrendsView {
  any: boolean;
  /** How long one bucket of the series is: "hour", "30 minutes". */
  bucket: string;
  /** Each change's onset and attribution, one line each (docs/rules.md "Onset and attribution"). */
  changes: Capped<{ onset: string; summary: string }>;
  regressions: Capped<{ op: string; before: string; after: string; change: string }>;
  tests: Array<{ metric: string; arrow: string; slope: string; pValue: string; points: string }>;
  changePoints: Capped<{ metric: string; op: string; at: string; before: string; after: string }>;
  spikes: Capped<{ at: string; errorRate: string; typical: string; errors: string; topGroup: string }>;
}

const LIMIT = 15;

export function buildTrendsView(doc: AnalysisDocument): TrendsView {
  const t = doc.trends;
  const step = `per ${RESOLUTIONS[t.resolution].unit}`;
  const regressions = [...(doc.comparison.previous?.regressions ?? [])].sort((a, b) => b.rel - a.rel);
  const view: TrendsView = {
    any: false,
    bucket: RESOLUTIONS[t.resolution].unit,
    changes: capList(doc.changes.map((c) => ({ onset: c.onsetMs !== null ? formatMinute(c.onsetMs) : 'no single onset', summary: cleanLogText(c.summary, 400) })), LIMIT),
    regressions: capList(regressions.map((r) => ({
      op: cleanLogText(r.op, 120),
      before: formatMetric('p95', r.before),
      after: formatMetric('p95', r.after),
      change: formatRelChange(r.rel),
    })), LIMIT),
    tests: t.tests.filter((x) => x.significant).map((x) => ({
      metric: metricLabel(x.metric),
      arrow: x.direction === 'up' ? '↑' : x.direction === 'down' ? '↓' : '→',
      slope: `${formatMetricChange(x.metric, { abs: x.slopePerStep, rel: null })} ${step}`,
      pValue: x.pValue < 0.001 ? 'p < 0.001' : `p = ${x.pValue.toFixed(3)}`,
      points: formatCount(x.points),
    })),
    changePoints: capList(t.changePoints.map((c) => ({
      metric: metricLabel(c.metric),
      op: c.op === null ? 'all operations' : cleanLogText(c.op, 120),
      at: formatMinute(c.at),
      before: formatMetric(c.metric, c.before),
      after: formatMetric(c.metric, c.after),
    })), LIMIT),
    spikes: capList(t.spikes.map((s) => ({
      at: formatMinute(s.at),
      errorRate: formatPercent(s.errorRate),
      typical: formatPercent(s.typicalErrorRate),
      errors: `${formatCount(s.errorCount)} of ${formatCount(s.count)}`,
      topGroup: s.topGroup ? cleanLogText(`${s.topGroup.op} ${s.topGroup.category}: ${s.topGroup.example}`, 200) : '',
    })), LIMIT),
  };
  view.any = view.changes.total + view.regressions.total + view.tests.length + view.changePoints.total + view.spikes.total > 0;
  return view;
}
