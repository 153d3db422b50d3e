import { SKETCH_ALPHA } from '../aggregate/sketch.js';
import type { AnalysisSettings } from './analysis-settings.js';
import { UsageError } from '../errors.js';
import { formatCount } from '../display/format-units.js';
import { assertWindow } from '../core/time.js';
import type { Scope, StoreQueries } from '../store/queries.js';
import type { ReadStore } from '../store/read-store.js';
import { dimensionQueries } from './dimension-queries.js';
import { ANALYSIS_SCHEMA_VERSION, type AnalysisDocument, type Comparison, type ErrorGroupStat } from './analysis-document.js';
import { loadBaseline } from './baseline.js';
import { analysisWindow, attachGroupChanges, compareWindows, type RegressionRule, type Side } from './compare.js';
import { dataQuality } from './quality-stats.js';
import { CONCURRENCY_SAMPLE, concurrencyTable, slowestEvents } from './drilldown.js';
import { isRetained, retainedPart } from './read-plan.js';
import { errorCategories, toStat, topErrorGroups } from './error-stats.js';
import { recommend } from './rules/recommend.js';
import { resolveScope } from './scope.js';
import { evaluateThresholds } from './thresholds.js';
import { buildTrends } from './trends.js';
import { changeCandidates } from './change-candidates.js';
import { findChanges } from './changes.js';
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
  /** `op`, `source`, or a dimension kept from the lines (`host`, `version` …). */
  groupBy?: string;
  /** Only events whose dimensions have these values (`--where version=2.4.1`). */
  where?: Record<string, string>;
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
  /** Also read every error group of the comparison windows (analyzeWindows gives them; `incident` compares them). */
  comparisonErrorGroups?: boolean;
}

/**
 * An analysis with every error group of its comparison windows (not only the top ones the document lists): what
 * an incident compares its own groups with, so that a group is called new only when the comparison windows truly
 * lack it. Null for a comparison that is not a window (none, or a saved baseline), or when not asked for.
 */
export interface WindowsAnalysis {
  doc: AnalysisDocument;
  errorGroups: { previous: ErrorGroupStat[] | null; baseline: ErrorGroupStat[] | null };
}

/** Groups that get their own trend series, change-point test and slowest examples. */
const TOP_GROUPS = 5;

/** The analysis of one window: everything the summary, the JSON document, the rules and the reports read. */
export function analyze(store: ReadStore, opts: AnalyzeOptions, config: AnalysisSettings): AnalysisDocument {
  return analyzeWindows(store, opts, config).doc;
}

/** analyze(), each window read once, with the comparison windows' error groups when `comparisonErrorGroups` is set. */
export function analyzeWindows(store: ReadStore, opts: AnalyzeOptions, config: AnalysisSettings): WindowsAnalysis {
  assertWindow(opts.fromMs, opts.toMs);
  if (opts.baseline !== undefined && opts.baselineWindow) throw new UsageError('a named baseline and a baseline window cannot be combined');
  const scope = resolveScope(store.queries, opts.op, opts.source);
  const range = { from: opts.fromMs, to: opts.toMs };
  const docGroupBy = opts.groupBy ?? 'op';
  // A dimension becomes the source for the analysis below: dimensionQueries relabels each event with its value.
  const groupBy: 'op' | 'source' = docGroupBy === 'op' ? 'op' : 'source';
  const q = sliced(store.queries, opts, docGroupBy, scope);
  const ctx: StoreContext = { q, rawPrunedBefore: q.rawPrunedBefore(), extent: q.extent() };
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
  const errorGroups = { previous: previous?.errorGroups ?? null, baseline: baseline?.errorGroups ?? null };

  const retained = retainedPart(range, ctx.rawPrunedBefore);
  const concurrency = concurrencyTable(q, retained, scope);
  if (concurrency.sampled > 0) {
    notes.push(
      `The concurrency table is built from ${formatCount(concurrency.sampled)} retained raw events that carry a ` +
        `concurrency value (at most ${formatCount(CONCURRENCY_SAMPLE)}, read evenly across the window).`,
    );
  }
  const hasData = current.overall.count > 0;
  const span = q.firstLastEvent(range, scope);
  const doc: AnalysisDocument = {
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    now: new Date(opts.nowMs).toISOString(),
    window,
    groupBy: docGroupBy,
    filters: {
      ...(opts.op !== undefined && { op: opts.op }), ...(opts.source !== undefined && { source: opts.source }),
      ...(opts.where && Object.keys(opts.where).length ? { where: opts.where } : {}),
    },
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
    comparison: { previous: previous && previous.comparison, baseline: baseline && baseline.comparison },
    trends: buildTrends(q, {
      range, scope, groupBy, topGroups: current.groups.slice(0, TOP_GROUPS).map((g) => g.op), extent: ctx.extent,
      config: config.analysis, errorGroupsIn: (r) => rangeErrorGroups(ctx, scope, r),
      rawRetained: isRetained(range, ctx.rawPrunedBefore),
    }),
    thresholds: hasData ? evaluateThresholds(config.thresholds, byOp.groups, q.operations(), scope.ops) : [],
    concurrency: concurrency.levels,
    // The k slowest events lie in the k operations with the largest maxima, whatever their traffic.
    slowest: slowestEvents(q, retained, scope, [...byOp.groups].sort((a, b) => (b.max ?? -1) - (a.max ?? -1)).slice(0, TOP_GROUPS).map((g) => g.op)),
    dataQuality: dataQuality(q, { range, scope, nowMs: opts.nowMs, gapMinutes: config.analysis.gapMinutes, extent: ctx.extent }),
    changes: [],
    recommendations: [],
    verdict: { status: 'healthy', summary: '' },
  };
  doc.changes = findChanges({ q, scope, rawPrunedBefore: ctx.rawPrunedBefore }, changeCandidates(doc, {
    regressionThreshold: config.analysis.regressionThreshold, minCount: config.analysis.regressionMinCount, minFailures: config.rules.minFailures,
  }));
  return { doc: Object.assign(doc, recommend(doc, config)), errorGroups };
}

/**
 * The store itself, or (with `--where` or `--group-by` on a dimension) the store seen through the raw events of
 * the window and its comparison windows, which must still be retained: rollups carry no dimensions.
 */
function sliced(store: StoreQueries, opts: AnalyzeOptions, groupBy: string, scope: Scope): StoreQueries {
  const where = opts.where ?? {};
  const dimension = groupBy === 'op' || groupBy === 'source' ? null : groupBy;
  if (dimension === null && Object.keys(where).length === 0) return store;
  const len = opts.toMs - opts.fromMs;
  const from = Math.min(opts.fromMs, opts.previous === null ? opts.fromMs : opts.previous?.fromMs ?? opts.fromMs - len, opts.baselineWindow?.fromMs ?? opts.fromMs);
  const pruned = store.rawPrunedBefore();
  if (pruned !== null && from < pruned) {
    throw new UsageError(
      `--where and --group-by ${dimension ?? ''} read raw events, which were pruned before ${new Date(pruned).toISOString()}`.replace('  ', ' '),
      'choose a window after that (its comparison window too, or pass --no-compare), or keep raw events longer (retentionDays)',
    );
  }
  if (opts.baseline !== undefined) throw new UsageError('a saved baseline has no dimensions: --baseline cannot be combined with --where or --group-by on a dimension');
  return dimensionQueries(store, { where, groupBy: dimension }, { from, to: opts.toMs }, scope);
}

/** A comparison, and the error groups of its window when it is one and they were asked for. */
interface Compared<C> {
  comparison: C;
  errorGroups: ErrorGroupStat[] | null;
}

function comparePrevious(ctx: StoreContext, opts: AnalyzeOptions, scope: Scope, groupBy: 'op' | 'source', after: Side, rule: RegressionRule): Compared<Comparison> | null {
  const len = opts.toMs - opts.fromMs;
  const w = opts.previous === undefined ? { fromMs: opts.fromMs - len, toMs: opts.fromMs, label: 'previous window' } : opts.previous;
  if (w === null) return null;
  const before = sideOf(ctx, w, scope, groupBy, !!opts.comparisonErrorGroups);
  attachGroupChanges(after.groups, before.groups);
  return { comparison: compareWindows(w.label, before, after, rule), errorGroups: before.errorGroups };
}

function compareBaseline(
  store: ReadStore, ctx: StoreContext, opts: AnalyzeOptions, scope: Scope, groupBy: 'op' | 'source', after: Side, rule: RegressionRule, notes: string[],
): Compared<Comparison & { name: string }> | null {
  if (opts.baselineWindow) {
    const w = opts.baselineWindow;
    const side = sideOf(ctx, w, scope, groupBy, !!opts.comparisonErrorGroups);
    return { comparison: { ...compareWindows(w.label, side, after, rule), name: w.label }, errorGroups: side.errorGroups };
  }
  if (opts.baseline === undefined) return null;
  const b = loadBaseline(store.baselines, opts.baseline);
  if (scope.ops || scope.source !== null) {
    notes.push(`Baseline "${opts.baseline}" was saved without filters: its overall figures cover every operation and source, its per-${groupBy === 'op' ? 'operation' : 'source'} figures compare like for like.`);
  }
  const side: Side = { window: b.window, overall: b.overall, groups: groupBy === 'op' ? b.operations : b.sources };
  return { comparison: { ...compareWindows(`baseline "${opts.baseline}"`, side, after, rule), name: opts.baseline }, errorGroups: null };
}

function sideOf(ctx: StoreContext, w: ComparisonWindow, scope: Scope, groupBy: 'op' | 'source', withErrors: boolean): Side & { errorGroups: ErrorGroupStat[] | null } {
  assertWindow(w.fromMs, w.toMs, `comparison window "${w.label}"`);
  const s: WindowStats = windowStats(ctx, { range: { from: w.fromMs, to: w.toMs }, scope, groupBy, exact: false, withErrors });
  return { window: analysisWindow(w.fromMs, w.toMs), overall: s.overall, groups: s.groups, errorGroups: withErrors ? s.errorGroups.map(toStat) : null };
}
