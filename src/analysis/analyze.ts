import { SKETCH_ALPHA } from '../aggregate/sketch.js';
import type { OplensConfig } from '../config/load-config.js';
import { UsageError } from '../errors.js';
import type { Scope } from '../store/queries.js';
import type { ReadStore } from '../store/read-store.js';
import { ANALYSIS_SCHEMA_VERSION, type AnalysisDocument, type Comparison } from './analysis-document.js';
import { loadBaseline } from './baseline.js';
import { analysisWindow, attachGroupChanges, compareWindows, type RegressionRule, type Side } from './compare.js';
import { dataQuality } from './quality-stats.js';
import { CONCURRENCY_SAMPLE, concurrencyTable, retainedPart, slowestEvents } from './drilldown.js';
import { errorCategories, topErrorGroups } from './error-stats.js';
import { recommend } from './rules/recommend.js';
import { resolveScope } from './scope.js';
import { evaluateThresholds } from './thresholds.js';
import { buildTrends } from './trends.js';
import { rangeErrorGroups, windowStats, type StoreContext, type WindowStats } from './read-window.js';

export interface ComparisonWindow {
  fromMs: number;
  toMs: number;
  label: string;
}

export interface AnalyzeOptions {
  /** Inclusive. */
  fromMs: number;
  /** Exclusive. */
  toMs: number;
  nowMs: number;
  groupBy?: 'op' | 'source';
  /** Operation glob. */
  op?: string;
  source?: string;
  /** Percentiles from sorted raw events (the window must still be retained). */
  exact?: boolean;
  /** Default: the window just before, same length, label "previous window"; null: no comparison. */
  previous?: ComparisonWindow | null;
  /** A named baseline (`oplens baseline save`). */
  baseline?: string;
  /** An ad-hoc comparison window put into comparison.baseline (`incident`: the same window a week earlier). */
  baselineWindow?: ComparisonWindow;
}

/** Groups that get their own trend series, change-point test and slowest examples. */
const TOP_GROUPS = 5;

/** The analysis of one window: everything the summary, the JSON document, the rules and the reports read. */
export function analyze(store: ReadStore, opts: AnalyzeOptions, config: OplensConfig): AnalysisDocument {
  if (!(opts.fromMs < opts.toMs)) throw new UsageError('the window is empty: its start must be before its end');
  if (opts.baseline !== undefined && opts.baselineWindow) throw new UsageError('a named baseline and a baseline window cannot be combined');
  const q = store.queries;
  const ctx: StoreContext = { q, rawPrunedBefore: q.rawPrunedBefore(), extent: q.extent() };
  const groupBy = opts.groupBy ?? 'op';
  const scope = resolveScope(q, opts.op, opts.source);
  const range = { from: opts.fromMs, to: opts.toMs };
  const exact = !!opts.exact;
  const current = windowStats(ctx, { range, scope, groupBy, exact, withErrors: true });
  const byOp = groupBy === 'op' ? current : windowStats(ctx, { range, scope, groupBy: 'op', exact, withErrors: false });
  const window = analysisWindow(range.from, range.to);
  const after: Side = { window, overall: current.overall, groups: current.groups };
  const rule: RegressionRule = { threshold: config.analysis.regressionThreshold, minCount: config.analysis.regressionMinCount };
  const notes = [
    'The window is [from, to): an event stamped exactly at `from` is in it, one stamped exactly at `to` is not.',
    ...current.notes,
  ];

  const previous = comparePrevious(ctx, opts, scope, groupBy, after, rule);
  const baseline = compareBaseline(store, ctx, opts, scope, groupBy, after, rule, notes);

  const retained = retainedPart(range, ctx.rawPrunedBefore);
  const concurrency = concurrencyTable(q, retained, scope);
  if (concurrency.sampled > 0) {
    notes.push(
      `The concurrency table is built from ${concurrency.sampled.toLocaleString('en-US')} retained raw events that carry a ` +
        `concurrency value (at most ${CONCURRENCY_SAMPLE.toLocaleString('en-US')}, read evenly across the window).`,
    );
  }
  const hasData = current.overall.count > 0;
  const span = q.firstLastEvent(range, scope);
  const doc: AnalysisDocument = {
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    now: new Date(opts.nowMs).toISOString(),
    window,
    groupBy,
    filters: { ...(opts.op !== undefined && { op: opts.op }), ...(opts.source !== undefined && { source: opts.source }) },
    method: { percentiles: current.percentiles, relativeError: current.percentiles === 'exact' ? 0 : SKETCH_ALPHA, description: notes.join(' ') },
    coverage: {
      firstEvent: span?.first ?? null,
      lastEvent: span?.last ?? null,
      sources: q.sourcesIn(range, scope),
      rawRetainedFrom: ctx.rawPrunedBefore,
    },
    overall: current.overall,
    operations: current.groups,
    errorCategories: errorCategories(current.errorGroups),
    errorGroups: topErrorGroups(current.errorGroups),
    comparison: { previous, baseline },
    trends: buildTrends(q, {
      range, scope, groupBy, topGroups: current.groups.slice(0, TOP_GROUPS).map((g) => g.op), extent: ctx.extent,
      config: config.analysis, errorGroupsIn: (r) => rangeErrorGroups(ctx, scope, r),
      rawRetained: retained !== null && retained.from === range.from,
    }),
    thresholds: hasData ? evaluateThresholds(config.thresholds, byOp.groups, q.operations(), scope.ops) : [],
    concurrency: concurrency.levels,
    slowest: slowestEvents(q, retained, scope, byOp.groups.slice(0, TOP_GROUPS).map((g) => g.op)),
    dataQuality: dataQuality(q, { range, scope, nowMs: opts.nowMs, gapMinutes: config.analysis.gapMinutes, extent: ctx.extent }),
    recommendations: [],
    verdict: { status: 'healthy', summary: '' },
  };
  return Object.assign(doc, recommend(doc, config));
}

function comparePrevious(ctx: StoreContext, opts: AnalyzeOptions, scope: Scope, groupBy: 'op' | 'source', after: Side, rule: RegressionRule): Comparison | null {
  const len = opts.toMs - opts.fromMs;
  const w = opts.previous === undefined ? { fromMs: opts.fromMs - len, toMs: opts.fromMs, label: 'previous window' } : opts.previous;
  if (w === null) return null;
  const before = sideOf(ctx, w, scope, groupBy);
  attachGroupChanges(after.groups, before.groups);
  return compareWindows(w.label, before, after, rule);
}

function compareBaseline(
  store: ReadStore, ctx: StoreContext, opts: AnalyzeOptions, scope: Scope, groupBy: 'op' | 'source', after: Side, rule: RegressionRule, notes: string[],
): (Comparison & { name: string }) | null {
  if (opts.baselineWindow) {
    const w = opts.baselineWindow;
    return { ...compareWindows(w.label, sideOf(ctx, w, scope, groupBy), after, rule), name: w.label };
  }
  if (opts.baseline === undefined) return null;
  const b = loadBaseline(store.baselines, opts.baseline);
  if (scope.ops || scope.source !== null) {
    notes.push(`Baseline "${opts.baseline}" was saved without filters: its overall figures cover every operation and source, its per-${groupBy === 'op' ? 'operation' : 'source'} figures compare like for like.`);
  }
  const side: Side = { window: b.window, overall: b.overall, groups: groupBy === 'op' ? b.operations : b.sources };
  return { ...compareWindows(`baseline "${opts.baseline}"`, side, after, rule), name: opts.baseline };
}

function sideOf(ctx: StoreContext, w: ComparisonWindow, scope: Scope, groupBy: 'op' | 'source'): Side {
  if (!(w.fromMs < w.toMs)) throw new UsageError(`comparison window "${w.label}" is empty`);
  const s: WindowStats = windowStats(ctx, { range: { from: w.fromMs, to: w.toMs }, scope, groupBy, exact: false, withErrors: false });
  return { window: analysisWindow(w.fromMs, w.toMs), overall: s.overall, groups: s.groups };
}
