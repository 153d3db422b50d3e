import { rollupBatch, type ErrorGroupRow, type Rollup, type SourcedEvent } from '../aggregate/rollup-batch.js';
import { mergeInto, type Buckets } from '../aggregate/sketch.js';
import { UsageError } from '../errors.js';
import type { Scope, StoreQueries, TimeRange } from '../store/queries.js';
import type { GroupKpis, Kpis } from './analysis-document.js';
import { exactPercentiles, sketchPercentiles, toKpis, type Percentiles } from './kpis.js';
import { emptyTally, addRow, notePeak, type Tally } from './tally.js';
import { planWindow, floorTo, ceilTo, type WindowPlan } from './window-plan.js';
import { HOUR_MS, MINUTE_MS } from './window.js';
import { formatIsoMinute } from '../cli/format-values.js';

export interface WindowRequest {
  range: TimeRange;
  scope: Scope;
  groupBy: 'op' | 'source';
  /** Percentiles from sorted raw events over the whole window. */
  exact: boolean;
  /** Also merge the window's error groups (only the analysed window needs them). */
  withErrors: boolean;
}

export interface StoreContext {
  q: StoreQueries;
  rawRetainedFrom: number | null;
  /** Minutes the store holds data for; mean throughput is over the part of a window inside it. */
  extent: TimeRange | null;
}

export interface WindowStats {
  overall: Kpis;
  /** Sorted by count, busiest first. */
  groups: GroupKpis[];
  errorGroups: ErrorGroupRow[];
  percentiles: 'sketch' | 'exact' | 'mixed';
  /** Sentences for method.description. */
  notes: string[];
}

/** Every KPI of one window, overall and per group, read as planWindow says. */
export function windowStats(ctx: StoreContext, req: WindowRequest): WindowStats {
  const { q } = ctx;
  const { range, scope, groupBy } = req;
  if (req.exact && ctx.rawRetainedFrom !== null && range.from < ctx.rawRetainedFrom) {
    throw new UsageError(
      `--exact: raw events before ${iso(ctx.rawRetainedFrom)} were pruned, and the window starts at ${iso(range.from)}`,
      'drop --exact to use the hourly histograms (relative error ≤ 1 %), or choose a later window',
    );
  }
  const plan = planWindow(range, ctx.rawRetainedFrom);
  const overall = emptyTally();
  const tallies = new Map<string, Tally>();
  const tallyOf = (g: string) => tallies.get(g) ?? tallies.set(g, emptyTally()).get(g)!;

  if (plan.minutes) {
    for (const r of q.minuteTotals(plan.minutes, scope, groupBy)) {
      addRow(tallyOf(r.group), r);
      notePeak(tallyOf(r.group), r.peakCount, r.peakMinute);
    }
    for (const r of q.minuteTotals(plan.minutes, scope, null)) {
      addRow(overall, r);
      notePeak(overall, r.peakCount, r.peakMinute);
    }
  }
  const hists = plan.hours ? q.hourHistograms(plan.hours, scope, groupBy) : new Map<string, Buckets>();
  const rawEvents = plan.raw.flatMap((r) => q.rawEvents(r, scope));
  const edge = rollupBatch(rawEvents);
  addEdgeMinutes(edge, groupBy, overall, tallyOf);

  // Exact percentiles when asked, or when the whole window lies in partial hours (then it was read raw anyway).
  const exact = req.exact || plan.hours === null;
  let pct: (group: string | null, t: Tally) => Percentiles;
  const notes: string[] = [];
  if (exact) {
    const values = req.exact ? q.rawDurations(range, scope, groupBy) : durationsOf(rawEvents, groupBy);
    const all = [...values.values()].flat();
    pct = (g) => exactPercentiles(g === null ? all : values.get(g));
    notes.push(`Percentiles are exact: linear interpolation between the closest ranks of ${all.length.toLocaleString('en-US')} raw durations.`);
  } else {
    for (const h of edge.hours) {
      const key = groupBy === 'op' ? h.op : h.source;
      const into = hists.get(key) ?? hists.set(key, new Map()).get(key)!;
      for (const [b, n] of h.buckets) mergeInto(into, b, n);
    }
    const merged: Buckets = new Map();
    for (const b of hists.values()) for (const [k, n] of b) mergeInto(merged, k, n);
    pct = (g, t) => sketchPercentiles(g === null ? merged : hists.get(g), t.durMin, t.durMax);
    const hours = plan.hours ? Math.round((plan.hours.to - plan.hours.from) / HOUR_MS) : 0;
    notes.push(
      `Percentiles come from hourly DDSketch histograms merged over ${hours} whole hour${hours === 1 ? '' : 's'} ` +
        `(relative error ≤ 1 %), clamped to the exact minimum and maximum.`,
    );
    if (plan.raw.length) {
      notes.push(
        `The partial hours at the window's edges (${plan.raw.map(span).join(', ')}) were read from ` +
          `${rawEvents.length.toLocaleString('en-US')} raw events and bucketed into the same histogram.`,
      );
    }
  }
  for (const w of plan.widened) {
    notes.push(
      `Raw events before ${iso(ctx.rawRetainedFrom!)} were pruned, so the partial hour ${span(w)} is counted whole ` +
        `from the rollups (whole minutes ${span({ from: floorTo(w.from, MINUTE_MS), to: ceilTo(w.to, MINUTE_MS) })}, ` +
        `whole hours for percentiles and error groups).`,
    );
  }
  const minutes = coveredMinutes(range, ctx.extent);
  const groups: GroupKpis[] = [...tallies.entries()]
    .filter(([, t]) => t.count > 0)
    .map(([name, t]) => ({ op: name, ...toKpis(t, pct(name, t), minutes) }))
    .sort((a, b) => b.count - a.count || (a.op < b.op ? -1 : 1));
  return {
    overall: toKpis(overall, pct(null, overall), minutes),
    groups,
    errorGroups: req.withErrors ? windowErrorGroups(ctx, req, plan, edge, notes) : [],
    percentiles: exact ? 'exact' : plan.raw.length ? 'mixed' : 'sketch',
    notes,
  };
}

/** Edge minutes are distinct from the core's, so their per-minute counts can only add new peak candidates. */
function addEdgeMinutes(edge: Rollup, groupBy: 'op' | 'source', overall: Tally, tallyOf: (g: string) => Tally): void {
  const perMinute = new Map<string, Map<number, number>>();
  const bump = (key: string, minute: number, n: number) => {
    const m = perMinute.get(key) ?? perMinute.set(key, new Map()).get(key)!;
    m.set(minute, (m.get(minute) ?? 0) + n);
  };
  for (const r of edge.minutes) {
    const key = groupBy === 'op' ? r.op : r.source;
    addRow(tallyOf(key), r);
    addRow(overall, r);
    bump('\u0000' + key, r.minute, r.count);
    bump('', r.minute, r.count);
  }
  for (const [key, m] of perMinute) {
    const t = key === '' ? overall : tallyOf(key.slice(1));
    for (const [minute, n] of m) notePeak(t, n, minute);
  }
}

function durationsOf(events: SourcedEvent[], groupBy: 'op' | 'source'): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of events) {
    if (e.durationMs === null) continue;
    const key = groupBy === 'op' ? e.op : e.source;
    (out.get(key) ?? out.set(key, []).get(key)!).push(e.durationMs);
  }
  return out;
}

/**
 * error_groups rows carry no source, so with --source the groups come from the window's raw failures while those
 * are retained; otherwise they cover every source and the method says so.
 */
function windowErrorGroups(ctx: StoreContext, req: WindowRequest, plan: WindowPlan, edge: Rollup, notes: string[]): ErrorGroupRow[] {
  const { range, scope } = req;
  if (scope.source !== null) {
    if (!sourceRetained(ctx, range)) notes.push('Error groups are stored per operation, not per source, and these raw events were pruned: error groups cover every source.');
    return rangeErrorGroups(ctx, scope, range);
  }
  return mergeErrorGroups([...(plan.hours ? ctx.q.errorGroups(plan.hours, scope.ops) : []), ...edge.errorGroups]);
}

/** Error groups of any range (a spike's hour): from whole hours, or per source from raw failures while retained. */
export function rangeErrorGroups(ctx: StoreContext, scope: Scope, r: TimeRange): ErrorGroupRow[] {
  if (scope.source !== null && sourceRetained(ctx, r)) return mergeErrorGroups(rollupBatch(ctx.q.rawEvents(r, scope, true)).errorGroups);
  return mergeErrorGroups(ctx.q.errorGroups({ from: floorTo(r.from, HOUR_MS), to: ceilTo(r.to, HOUR_MS) }, scope.ops));
}

function sourceRetained(ctx: StoreContext, r: TimeRange): boolean {
  return ctx.rawRetainedFrom === null || r.from >= ctx.rawRetainedFrom;
}

/** Merges rows over hours by (op, category, fingerprint); the example of the most recent row is kept. */
export function mergeErrorGroups(rows: ErrorGroupRow[]): ErrorGroupRow[] {
  const out = new Map<string, ErrorGroupRow>();
  for (const r of rows) {
    const key = `${r.op}\u0000${r.category}\u0000${r.fingerprint}`;
    const g = out.get(key);
    if (!g) {
      out.set(key, { ...r });
      continue;
    }
    g.count += r.count;
    g.firstSeen = Math.min(g.firstSeen, r.firstSeen);
    if (r.lastSeen > g.lastSeen) {
      g.lastSeen = r.lastSeen;
      g.example = r.example || g.example;
      g.code = r.code ?? g.code;
    }
  }
  return [...out.values()].sort((a, b) => b.count - a.count || a.firstSeen - b.firstSeen);
}

/** Minutes of the window the store holds data for (the whole window when it holds none of it). */
export function coveredMinutes(range: TimeRange, extent: TimeRange | null): number {
  const overlap = extent ? Math.min(range.to, extent.to) - Math.max(range.from, extent.from) : 0;
  return (overlap > 0 ? overlap : range.to - range.from) / MINUTE_MS;
}

function span(r: TimeRange): string {
  return `${formatIsoMinute(r.from)}–${formatIsoMinute(r.to)}`;
}

function iso(ms: number): string {
  return formatIsoMinute(ms);
}
