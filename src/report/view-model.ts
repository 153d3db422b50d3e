import { printable } from '../display/printable.js';
import type { AnalysisDocument, ErrorGroupStat, GroupKpis, Recommendation, ThresholdResult } from '../analysis/analysis-document.js';
import { capList, type Capped } from './capped.js';
import { cleanLogText } from './escape.js';
import { displayTimeZone, formatCount, formatDuration, formatMetric, formatPercent, formatMinute, formatRange, metricKind } from '../display/format-units.js';
import type { IncidentChanges } from './incident-changes.js';
import { describeChange, hasEvents, kpiRows, metricLabel, type ChangeView, type KpiRow } from './kpi-rows.js';
import { buildTrendsView, type TrendsView } from './trends-view.js';
import { RESOLUTIONS } from '../analysis/resolution.js';
import { MINUTE_MS } from '../core/time.js';

/**
 * The report view model: everything the templates show, already formatted as text, with log data kept as plain
 * strings (each renderer escapes them for its format). Renderers add the charts from `chartData`.
 */
export interface ReportModel {
  title: string;
  /** When the report was written (wall clock), beside the window's "now" (pinned by --now in tests and replays). */
  generatedAt: string;
  now: string;
  /** The zone times are shown in (--tz). */
  timeZone: string;
  window: { label: string; range: string };
  filters: string;
  coverage: { events: string; first: string; last: string; sources: string; rawRetainedFrom: string };
  verdict: { status: string; label: string; summary: string };
  comparisons: { previous: ComparisonView | null; baseline: ComparisonView | null };
  kpis: KpiRow[];
  /** Breaches first; `ok` counts the rest; `latencyLimits` is false when no p50–p99 limit applied to any group. */
  thresholds: Capped<ThresholdRow> & { breached: number; ok: number; latencyLimits: boolean };
  /** Table header and heading word for the groups: Operation/operation or Source/source. */
  groupLabel: string;
  groupNoun: string;
  operations: Capped<OperationRow>;
  errorCategories: Capped<CategoryRow>;
  errorGroups: Capped<ErrorGroupRow>;
  topRecommendations: RecommendationRow[];
  recommendations: Capped<RecommendationRow>;
  trends: TrendsView;
  concurrency: Array<{ level: string; count: string; errorRate: string; p95: string }>;
  slowest: Capped<{ at: string; op: string; source: string; duration: string; outcome: string }>;
  dataQuality: DataQualityView;
  method: { percentiles: string; errorBound: string; interpolation: string; description: string };
  incident: IncidentChanges | null;
  chartData: ChartData;
}

/** A comparison window; `empty` when it had no events, so there is nothing to compare with. */
export interface ComparisonView {
  label: string;
  range: string;
  empty: boolean;
}

export interface OperationRow {
  op: string;
  count: string;
  share: string;
  successRate: string;
  p50: string;
  p95: string;
  p99: string;
  max: string;
  p95Change: ChangeView | null;
  errorRateChange: ChangeView | null;
}

export interface ThresholdRow { metric: string; op: string; value: string; level: string; breached: boolean; target: string; warning: string; critical: string }
export interface CategoryRow { category: string; count: string; share: string; ops: string }
export interface ErrorGroupRow { op: string; category: string; code: string; count: string; firstSeen: string; lastSeen: string; example: string }

export interface RecommendationRow {
  rank: number;
  severity: string;
  category: string;
  title: string;
  evidence: string[];
  recommendation: string;
  action: string;
  /** Shell commands, already quoted and printable: rendered as code. */
  commands: string[];
  ops: string;
}

export interface DataQualityView {
  clean: boolean;
  quarantined: string;
  quarantineReasons: string;
  futureEvents: string;
  gaps: Capped<{ from: string; to: string; length: string }>;
}

/** Numbers for the charts and sparklines; series share the buckets of the analysis trends. */
export interface ChartData {
  fromMs: number;
  toMs: number;
  stepMs: number;
  t: number[];
  p50: Array<number | null>;
  p95: Array<number | null>;
  p99: Array<number | null>;
  throughput: number[];
  errorRate: number[];
  categories: Array<{ label: string; count: number }>;
  /** Instants marked on every time chart. */
  markers: ChartMarker[];
}

/** A labelled instant drawn as a vertical line across the time charts (an incident's `--at`, an onset). */
export interface ChartMarker {
  t: number;
  label: string;
  /** Names the marker's class in the stylesheet: `marker-<kind>`. */
  kind: string;
}

export interface ViewOptions {
  title?: string;
  /** How the window is named in headings ("2026-W47"); default its UTC range. */
  windowLabel?: string;
  incident?: IncidentChanges;
  markers?: ChartMarker[];
  /** The wall clock, epoch ms (default Date.now()). */
  generatedAtMs?: number;
}

/** Table sizes: a window with 500 operations must still give a small report that opens fast. */
export const LIMITS = { operations: 25, thresholds: 25, categories: 12, errorGroups: 20, recommendations: 25, top: 5, slowest: 10, gaps: 10 };

const STATUS_LABEL: Record<string, string> = { healthy: 'Healthy', attention: 'Needs attention', critical: 'Critical' };
const LEVEL_ORDER: Record<string, number> = { critical: 0, warning: 1, ok: 2 };

export function buildViewModel(doc: AnalysisDocument, o: ViewOptions = {}): ReportModel {
  const range = formatRange(doc.window.fromMs, doc.window.toMs);
  const prev = doc.comparison.previous;
  const base = doc.comparison.baseline;
  const recs = [...doc.recommendations].sort((a, b) => b.score - a.score).map(recommendationRow);
  return {
    title: o.title ?? `oplens report ${o.windowLabel ?? range}`,
    generatedAt: formatMinute(o.generatedAtMs ?? Date.now()),
    now: formatMinute(Date.parse(doc.now)),
    timeZone: displayTimeZone(),
    window: { label: o.windowLabel ?? range, range },
    filters: [doc.filters.op && `operation ${doc.filters.op}`, doc.filters.source && `source ${doc.filters.source}`].filter(Boolean).join(', '),
    coverage: {
      events: formatCount(doc.overall.count),
      first: formatMinute(doc.coverage.firstEvent),
      last: formatMinute(doc.coverage.lastEvent),
      sources: nameList(doc.coverage.sources, 10),
      // null: nothing was ever pruned, so every raw event is still there.
      rawRetainedFrom: doc.coverage.rawRetainedFrom === null ? 'all (none pruned)' : formatMinute(doc.coverage.rawRetainedFrom),
    },
    verdict: { status: doc.verdict.status, label: STATUS_LABEL[doc.verdict.status] ?? doc.verdict.status, summary: doc.verdict.summary },
    comparisons: {
      previous: prev && { label: prev.label, range: formatRange(prev.window.fromMs, prev.window.toMs), empty: !hasEvents(prev) },
      baseline: base && { label: base.label || base.name, range: formatRange(base.window.fromMs, base.window.toMs), empty: !hasEvents(base) },
    },
    kpis: kpiRows(doc.overall, prev, base),
    thresholds: thresholdRows(doc.thresholds),
    groupLabel: doc.groupBy === 'op' ? 'Operation' : doc.groupBy === 'source' ? 'Source' : cleanLogText(doc.groupBy, 40),
    groupNoun: doc.groupBy === 'op' ? 'operation' : doc.groupBy === 'source' ? 'source' : cleanLogText(doc.groupBy, 40),
    operations: capList([...doc.operations].sort((a, b) => b.count - a.count).map((g) => operationRow(g, doc.overall.count)), LIMITS.operations),
    errorCategories: capList(doc.errorCategories.map((c) => ({
      category: cleanLogText(c.category, 60),
      count: formatCount(c.count),
      share: formatPercent(c.share),
      ops: nameList(c.ops.map((x) => `${x.op} (${formatCount(x.count)})`), 3),
    })), LIMITS.categories),
    errorGroups: capList([...doc.errorGroups].sort((a, b) => b.count - a.count).map(errorGroupRow), LIMITS.errorGroups),
    topRecommendations: recs.slice(0, LIMITS.top),
    recommendations: capList(recs, LIMITS.recommendations),
    trends: buildTrendsView(doc),
    concurrency: doc.concurrency.map((c) => ({
      level: formatCount(c.level), count: formatCount(c.count), errorRate: formatPercent(c.errorRate), p95: formatDuration(c.p95),
    })),
    slowest: capList(doc.slowest.map((s) => ({
      at: formatMinute(s.ts), op: cleanLogText(s.op, 120), source: cleanLogText(s.source, 80),
      duration: formatDuration(s.durationMs), outcome: s.ok ? 'ok' : 'failed',
    })), LIMITS.slowest),
    dataQuality: dataQualityView(doc),
    method: methodView(doc),
    incident: o.incident ?? null,
    chartData: chartData(doc, o.markers ?? []),
  };
}

export function errorGroupRow(g: ErrorGroupStat): ErrorGroupRow {
  return {
    op: cleanLogText(g.op, 120),
    category: cleanLogText(g.category, 60),
    code: g.code === null ? '' : cleanLogText(g.code, 40),
    count: formatCount(g.count),
    firstSeen: formatMinute(g.firstSeen),
    lastSeen: formatMinute(g.lastSeen),
    example: cleanLogText(g.example),
  };
}

function operationRow(g: GroupKpis, total: number): OperationRow {
  return {
    op: cleanLogText(g.op, 120),
    count: formatCount(g.count),
    share: total > 0 ? formatPercent(g.count / total) : formatPercent(null),
    successRate: formatPercent(g.successRate),
    p50: formatDuration(g.p50),
    p95: formatDuration(g.p95),
    p99: formatDuration(g.p99),
    max: formatDuration(g.max),
    p95Change: describeChange('p95', g.change?.p95, 'lower'),
    errorRateChange: describeChange('errorRate', g.change?.errorRate, 'lower'),
  };
}

function thresholdRows(results: ThresholdResult[]): ReportModel['thresholds'] {
  const sorted = [...results].sort((a, b) => (LEVEL_ORDER[a.level] ?? 3) - (LEVEL_ORDER[b.level] ?? 3) || a.op.localeCompare(b.op));
  const rows = sorted.map((t) => ({
    metric: metricLabel(t.metric),
    op: cleanLogText(t.op, 120),
    value: formatMetric(t.metric, t.value),
    level: t.level,
    breached: t.level !== 'ok',
    target: formatMetric(t.metric, t.target),
    warning: formatMetric(t.metric, t.warning),
    critical: formatMetric(t.metric, t.critical),
  }));
  const breached = results.filter((t) => t.level !== 'ok').length;
  const latencyLimits = results.some((t) => metricKind(t.metric) === 'duration');
  return { ...capList(rows, LIMITS.thresholds), breached, ok: results.length - breached, latencyLimits };
}

function recommendationRow(r: Recommendation, i: number): RecommendationRow {
  return {
    rank: i + 1,
    severity: r.severity,
    category: r.category,
    title: cleanLogText(r.title, 300),
    evidence: r.evidence.map((e) => cleanLogText(e, 400)),
    recommendation: cleanLogText(r.recommendation, 1000),
    action: cleanLogText(r.action, 1000),
    commands: r.commands.map((c) => printable(c)),
    ops: nameList(r.ops, 5),
  };
}

function dataQualityView(doc: AnalysisDocument): DataQualityView {
  const q = doc.dataQuality;
  return {
    clean: q.quarantined === 0 && q.futureEvents === 0 && q.gaps.length === 0,
    quarantined: formatCount(q.quarantined),
    quarantineReasons: q.quarantineReasons.map((r) => `${cleanLogText(r.reason, 80)}: ${formatCount(r.count)}`).join(', '),
    futureEvents: formatCount(q.futureEvents),
    gaps: capList(q.gaps.map((g) => ({ from: formatMinute(g.from), to: formatMinute(g.to), length: formatDuration(g.minutes * MINUTE_MS) })), LIMITS.gaps),
  };
}

function methodView(doc: AnalysisDocument): ReportModel['method'] {
  const m = doc.method;
  const exact = 'exact from raw events, linear interpolation between closest ranks (numpy default, DuckDB quantile_cont, k6 p(95))';
  const sketch = `from merged log-bucket histograms (DDSketch mapping), each within ±${formatPercent(m.relativeError)} of the true value`;
  return {
    percentiles: m.percentiles,
    errorBound: m.relativeError === 0 ? 'exact' : `±${formatPercent(m.relativeError)} relative`,
    interpolation: m.percentiles === 'exact' ? exact : m.percentiles === 'sketch' ? sketch : `${exact}; otherwise ${sketch}`,
    description: m.description,
  };
}

function chartData(doc: AnalysisDocument, markers: ChartMarker[]): ChartData {
  const s = doc.trends.series;
  return {
    fromMs: doc.window.fromMs,
    toMs: doc.window.toMs,
    stepMs: RESOLUTIONS[doc.trends.resolution].ms,
    t: s.map((p) => p.t),
    p50: s.map((p) => p.p50),
    p95: s.map((p) => p.p95),
    p99: s.map((p) => p.p99),
    throughput: s.map((p) => p.meanPerMin),
    errorRate: s.map((p) => p.errorRate),
    categories: doc.errorCategories.slice(0, LIMITS.categories).map((c) => ({ label: cleanLogText(c.category, 40), count: c.count })),
    markers: [...markers, ...onsetMarkers(doc)],
  };
}

/** `onset search` at the first minute of each change (docs/rules.md "Onset and attribution"). */
function onsetMarkers(doc: AnalysisDocument): ChartMarker[] {
  return doc.changes
    .filter((c) => c.onsetMs !== null)
    .map((c) => ({ t: c.onsetMs as number, label: `onset ${cleanLogText(c.op ?? 'all', 40)}`, kind: 'onset' }));
}

/** "a, b, c and 12 more": names cleaned and capped so a list of hundreds of sources stays one line. */
function nameList(names: readonly string[], limit: number): string {
  const shown = names.slice(0, limit).map((n) => cleanLogText(n, 80));
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${formatCount(more)} more` : shown.join(', ');
}
