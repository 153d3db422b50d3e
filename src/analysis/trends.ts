import type { ErrorGroupRow } from '../aggregate/rollup-rows.js';
import { mergeInto, sketchQuantiles, type Buckets } from '../aggregate/sketch.js';
import type { AnalysisConfig } from './analysis-settings.js';
import type { BucketTotals, Scope, StoreQueries, TimeRange } from '../store/queries.js';
import type { ChangePoint, ErrorSpike, SeriesPoint, TrendTest, Trends } from './analysis-document.js';
import { toStat } from './error-stats.js';
import { findChangePoint } from './stats/change-point.js';
import { findSpikes } from './stats/spikes.js';
import { trendTest } from './trend-test.js';
import { RESOLUTIONS, type Resolution } from './resolution.js';
import { DAY_MS, floorTo, HOUR_MS, MINUTE_MS } from '../core/time.js';

/** Windows up to this long get an hourly series, longer ones a daily series. */
export const HOURLY_UP_TO_MS = 3 * DAY_MS;
/**
 * Windows up to this long (an incident's) get 5-minute buckets while their raw events are retained: the hourly
 * histograms are too coarse there, so those buckets' percentiles come from the raw events.
 */
export const FINE_UP_TO_MS = 6 * HOUR_MS;
/**
 * Fine buckets are made at least this full on average (the finest of 5, 15 or 30 minutes that is): with 7 events
 * a bucket's p95 and p99 are its maximum, and a chart of them saw-tooths between the slowest call and nothing.
 */
export const MIN_EVENTS_PER_BUCKET = 20;
const FINE: readonly Resolution[] = ['5min', '15min', '30min'];

export interface TrendRequest {
  range: TimeRange;
  scope: Scope;
  groupBy: 'op' | 'source';
  /** The busiest groups, which get their own p95 series and change-point test. */
  topGroups: readonly string[];
  extent: TimeRange | null;
  config: AnalysisConfig;
  /** The merged error groups of a range, most failures first (for a spike's top group). */
  errorGroupsIn: (r: TimeRange) => ErrorGroupRow[];
  /** True when every raw event of the range is still stored. */
  rawRetained: boolean;
}

/**
 * Series over whole UTC hours or days, from minute_stats and hour_hist: a bucket cut by the window's edge
 * counts its whole minutes inside the window, and its percentiles come from its whole hours.
 */
export function buildTrends(q: StoreQueries, req: TrendRequest): Trends {
  const { range, scope } = req;
  const span = range.to - range.from;
  const minuteRange = { from: floorTo(range.from, MINUTE_MS), to: range.to };
  const hourRange = { from: floorTo(range.from, HOUR_MS), to: range.to };
  const groups = [...req.topGroups];
  const fine = span <= FINE_UP_TO_MS && req.rawRetained;
  // One scan per table: the busiest groups get their own rows, the rest one row, and the overall series is the
  // sum of all rows of a bucket. A fine series scans once more when its 5-minute buckets are too sparse.
  let resolution: Resolution = fine ? '5min' : span <= HOURLY_UP_TO_MS ? 'hour' : 'day';
  // A daily series is summed from hourly rows, which the error spikes are looked for in anyway: one scan for both.
  const hourly = resolution === 'day' ? q.seriesTotals(minuteRange, HOUR_MS, scope, req.groupBy, groups) : null;
  let totalRows = hourly ? rebucket(hourly, DAY_MS) : q.seriesTotals(minuteRange, RESOLUTIONS[resolution].ms, scope, req.groupBy, groups);
  if (fine) {
    const coarser = fineResolution(totalRows);
    if (coarser !== resolution) {
      resolution = coarser;
      totalRows = q.seriesTotals(minuteRange, RESOLUTIONS[resolution].ms, scope, req.groupBy, groups);
    }
  }
  const step = RESOLUTIONS[resolution].ms;
  const starts: number[] = [];
  for (let t = floorTo(range.from, step); t < range.to; t += step) starts.push(t);
  const histRows = fine
    ? q.rawSeriesHistograms(range, step, scope, req.groupBy, groups)
    : q.seriesHistograms(hourRange, step, scope, req.groupBy, groups);
  const totals = new Map<number, BucketTotals>();
  for (const r of totalRows) totals.set(r.t, addBucket(totals.get(r.t), r));
  const hists = new Map<number, Buckets>();
  for (const byT of histRows.values()) {
    for (const [t, b] of byT) {
      const into = hists.get(t) ?? hists.set(t, new Map()).get(t)!;
      for (const [k, n] of b) mergeInto(into, k, n);
    }
  }
  const series = starts.map((t) => point(t, totals.get(t), hists.get(t), bucketMinutes(t, step, range, req.extent)));
  const opSeries = groups.map((g) => {
    const tot = byT(totalRows.filter((r) => r.group === g));
    const h = histRows.get(g);
    return {
      op: g,
      p95: starts.map((t) => p95Of(h?.get(t), tot.get(t))),
      count: starts.map((t) => tot.get(t)?.count ?? 0),
    };
  });

  return {
    resolution,
    series,
    opSeries,
    tests: trendTests(series, req.config),
    changePoints: changePoints(series, opSeries),
    spikes: spikes(q, series, step, req, hourly),
  };
}

/** The finest fine resolution whose buckets with data hold MIN_EVENTS_PER_BUCKET events on average. */
function fineResolution(fiveMinuteRows: readonly BucketTotals[]): Resolution {
  const total = fiveMinuteRows.reduce((n, r) => n + r.count, 0);
  return FINE.find((r) => {
    const buckets = new Set(fiveMinuteRows.filter((x) => x.count > 0).map((x) => floorTo(x.t, RESOLUTIONS[r].ms))).size;
    return total >= MIN_EVENTS_PER_BUCKET * buckets;
  }) ?? FINE[FINE.length - 1];
}

function point(t: number, r: BucketTotals | undefined, h: Buckets | undefined, minutes: number): SeriesPoint {
  const count = r?.count ?? 0;
  const [p50, p95, p99] = h && h.size ? sketchQuantiles(h, [0.5, 0.95, 0.99], r?.durMin ?? undefined, r?.durMax ?? undefined) : [NaN, NaN, NaN];
  const fin = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    t,
    count,
    errorCount: r?.errorCount ?? 0,
    errorRate: count > 0 ? (r as BucketTotals).errorCount / count : 0,
    timeoutCount: r?.timeoutCount ?? 0,
    meanPerMin: minutes > 0 ? count / minutes : 0,
    p50: fin(p50),
    p95: fin(p95),
    p99: fin(p99),
    memoryMaxMb: r?.memMax ?? null,
    concurrencyMax: r?.concMax ?? null,
    retriesPerEvent: count > 0 ? (r as BucketTotals).retriesSum / count : 0,
  };
}

function p95Of(h: Buckets | undefined, r: BucketTotals | undefined): number | null {
  if (!h || h.size === 0) return null;
  const [v] = sketchQuantiles(h, [0.95], r?.durMin ?? undefined, r?.durMax ?? undefined);
  return Number.isFinite(v) ? v : null;
}

/** Minutes of a bucket inside the window and the store's data, so partial buckets are not under-counted. */
function bucketMinutes(t: number, step: number, range: TimeRange, extent: TimeRange | null): number {
  const from = Math.max(t, range.from, extent?.from ?? -Infinity);
  const to = Math.min(t + step, range.to, extent?.to ?? Infinity);
  return to > from ? (to - from) / MINUTE_MS : 0;
}

function trendTests(series: SeriesPoint[], cfg: AnalysisConfig): TrendTest[] {
  // Throughput counts as zero only between the first and the last bucket with data: outside that the store is
  // silent about the window, which is not the same as no traffic.
  const active = series.map((p) => p.count > 0);
  const first = active.indexOf(true);
  const last = active.lastIndexOf(true);
  const inData = (i: number) => first >= 0 && i >= first && i <= last;
  const rule = { alpha: cfg.trendAlpha, minChange: cfg.trendMinChange };
  const metrics: Array<[string, Array<number | null>]> = [
    ['p95', series.map((p) => p.p95)],
    ['errorRate', series.map((p) => (p.count > 0 ? p.errorRate : null))],
    ['throughput', series.map((p, i) => (inData(i) ? p.meanPerMin : null))],
    ['memoryMb', series.map((p) => p.memoryMaxMb)],
  ];
  return metrics.map(([m, ys]) => trendTest(m, ys, rule)).filter((t): t is TrendTest => t !== null);
}

function changePoints(series: SeriesPoint[], opSeries: Trends['opSeries']): ChangePoint[] {
  const out: ChangePoint[] = [];
  const add = (metric: ChangePoint['metric'], op: string | null, ys: Array<number | null>) => {
    const cp = findChangePoint(ys);
    if (cp) out.push({ metric, op, at: series[cp.index].t, before: cp.before, after: cp.after });
  };
  add('p95', null, series.map((p) => p.p95));
  for (const s of opSeries) add('p95', s.op, s.p95);
  add('errorRate', null, series.map((p) => (p.count > 0 ? p.errorRate : null)));
  return out;
}

/**
 * Error spikes are hours far above the window's typical hour, whatever the series resolution: in a daily series
 * an hour-long storm would be diluted by the other 23 hours, so longer windows are scanned hour by hour.
 */
function spikes(q: StoreQueries, series: SeriesPoint[], step: number, req: TrendRequest, hourly: BucketTotals[] | null): ErrorSpike[] {
  let hours: Array<{ t: number; count: number; errorCount: number }> = series;
  if (step !== HOUR_MS) {
    const byHour = new Map<number, BucketTotals>();
    const minuteRange = { from: floorTo(req.range.from, MINUTE_MS), to: req.range.to };
    for (const r of hourly ?? q.seriesTotals(minuteRange, HOUR_MS, req.scope, req.groupBy, [])) byHour.set(r.t, addBucket(byHour.get(r.t), r));
    hours = [...byHour.values()].sort((a, b) => a.t - b.t);
  }
  return findSpikes(hours, { minErrors: req.config.spikeMinErrors }).map((s) => {
    const p = hours[s.index];
    const top = req.errorGroupsIn({ from: Math.max(p.t, req.range.from), to: Math.min(p.t + HOUR_MS, req.range.to) })[0];
    return {
      at: p.t, count: p.count, errorCount: p.errorCount, errorRate: s.errorRate, typicalErrorRate: s.typicalErrorRate,
      topGroup: top ? toStat(top) : null,
    };
  });
}

/** Sums two rows of one bucket into a row of `group` (null: all groups). */
function addBucket(a: BucketTotals | undefined, b: BucketTotals, group: string | null = null): BucketTotals {
  if (!a) return { ...b, group };
  const max = (x: number | null, y: number | null) => (x === null ? y : y === null ? x : Math.max(x, y));
  const min = (x: number | null, y: number | null) => (x === null ? y : y === null ? x : Math.min(x, y));
  return {
    group, t: a.t, count: a.count + b.count, errorCount: a.errorCount + b.errorCount, timeoutCount: a.timeoutCount + b.timeoutCount,
    retriesSum: a.retriesSum + b.retriesSum, durCount: a.durCount + b.durCount, durSum: a.durSum + b.durSum, durMin: min(a.durMin, b.durMin), durMax: max(a.durMax, b.durMax),
    memMax: max(a.memMax, b.memMax), concMax: max(a.concMax, b.concMax),
  };
}

/** Each group's rows summed into buckets of `step`, which the rows' buckets divide. */
function rebucket(rows: readonly BucketTotals[], step: number): BucketTotals[] {
  const out = new Map<string, BucketTotals>();
  for (const r of rows) {
    const t = floorTo(r.t, step);
    const key = `${r.group ?? ''}\u0000${r.group === null ? 0 : 1}\u0000${t}`;
    out.set(key, addBucket(out.get(key), { ...r, t }, r.group));
  }
  return [...out.values()];
}

function byT(rows: BucketTotals[]): Map<number, BucketTotals> {
  return new Map(rows.map((r) => [r.t, r]));
}
