import { addSums, type ErrorGroupRow, type Rollup } from '../aggregate/rollup-rows.js';
import { rollupBatch } from '../aggregate/rollup.js';
import { bucketOf, mergeInto, type Buckets } from '../aggregate/sketch.js';
import { formatCount, formatMinute } from '../display/format-units.js';
import { UsageError } from '../errors.js';
import type { Scope, StoreQueries, TimeRange } from '../store/queries.js';
import type { GroupKpis, Kpis } from './analysis-document.js';
import { exactPercentiles, sketchPercentiles, toKpis, type Percentiles } from './kpis.js';
import { emptyTally, notePeak, type Tally } from './tally.js';
import { isRetained, planWindow } from './read-plan.js';
import { ceilTo, floorTo, HOUR_MS, MINUTE_MS } from '../core/time.js';

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
  rawPrunedBefore: number | null;
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
  if (req.exact && !retained(ctx, range)) {
    throw new UsageError(
      `--exact: raw events before ${iso(ctx.rawPrunedBefore!)} were pruned, and the window starts at ${iso(range.from)}`,
      'drop --exact to use the hourly histograms (relative error ≤ 1 %), or choose a later window',
    );
  }
  const plan = planWindow(range, ctx.rawPrunedBefore);
  const overall = emptyTally();
  const tallies = new Map<string, Tally>();
  const tallyOf = (g: string) => tallies.get(g) ?? tallies.set(g, emptyTally()).get(g)!;
  if (plan.minutes) {
    // Sums and extremes add up across groups; only the busiest minute overall needs its own query.
    for (const r of q.minuteTotals(plan.minutes, scope, groupBy)) {
      addSums(tallyOf(r.group), r);
      notePeak(tallyOf(r.group), r.peakCount, r.peakMinute);
      addSums(overall, r);
    }
    const peak = q.peakMinute(plan.minutes, scope);
    if (peak) notePeak(overall, peak.count, peak.minute);
  }
  addEdgeMinutes(rollupBatch(plan.minuteEdges.flatMap((r) => q.rawEvents(r, scope))), groupBy, overall, tallyOf);

  // Exact percentiles when asked, or when the whole window lies in partial hours (then it is read raw anyway).
  const exact = req.exact || plan.hours === null;
  const edgeDurations = req.exact ? [q.rawDurations(range, scope, groupBy)] : plan.hourEdges.map((r) => q.rawDurations(r, scope, groupBy));
  let pct: (group: string | null, t: Tally) => Percentiles;
  const notes: string[] = [];
  if (exact) {
    const values = concat(edgeDurations);
    const all = [...values.values()].flat();
    pct = (g) => exactPercentiles(g === null ? all : values.get(g));
    notes.push(`Percentiles are exact: linear interpolation between the closest ranks of ${formatCount(all.length)} raw durations.`);
  } else {
    const hists = plan.hours ? q.hourHistograms(plan.hours, scope, groupBy) : new Map<string, Buckets>();
    let rawCount = 0;
    for (const m of edgeDurations) {
      for (const [g, values] of m) {
        const into = hists.get(g) ?? hists.set(g, new Map()).get(g)!;
        for (const v of values) mergeInto(into, bucketOf(v), 1);
        rawCount += values.length;
      }
    }
    const merged: Buckets = new Map();
    for (const b of hists.values()) for (const [k, n] of b) mergeInto(merged, k, n);
    pct = (g, t) => sketchPercentiles(g === null ? merged : hists.get(g), t.durMin, t.durMax);
    const hours = plan.hours ? Math.round((plan.hours.to - plan.hours.from) / HOUR_MS) : 0;
    notes.push(
      `Percentiles come from hourly DDSketch histograms merged over ${hours} whole hour${hours === 1 ? '' : 's'} ` +
        `(relative error ≤ 1 %), clamped to the exact minimum and maximum.`,
    );
    if (plan.hourEdges.length) {
      notes.push(
        `The partial hours at the window's edges (${plan.hourEdges.map(span).join(', ')}) were read from ` +
          `${formatCount(rawCount)} raw durations and bucketed into the same histogram.`,
      );
    }
  }
  for (const w of plan.widened) {
    notes.push(
      `Raw events before ${iso(ctx.rawPrunedBefore!)} were pruned, so the partial hour ${span(w)} is read from the rollups: ` +
        `whole minutes for totals (from ${iso(floorTo(w.from, MINUTE_MS))}), the whole hour ` +
        `${span({ from: floorTo(w.from, HOUR_MS), to: ceilTo(w.to, HOUR_MS) })} for percentiles and error groups.`,
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
    errorGroups: req.withErrors ? windowErrorGroups(ctx, req, plan.hours, plan.hourEdges, notes) : [],
    percentiles: exact ? 'exact' : plan.hourEdges.length ? 'mixed' : 'sketch',
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
    addSums(tallyOf(key), r);
    addSums(overall, r);
    bump('\u0000' + key, r.minute, r.count);
    bump('', r.minute, r.count);
  }
  for (const [key, m] of perMinute) {
    const t = key === '' ? overall : tallyOf(key.slice(1));
    for (const [minute, n] of m) notePeak(t, n, minute);
  }
}

function concat(maps: Array<Map<string, number[]>>): Map<string, number[]> {
  if (maps.length === 1) return maps[0];
  const out = new Map<string, number[]>();
  for (const m of maps) for (const [g, v] of m) out.set(g, [...(out.get(g) ?? []), ...v]);
  return out;
}

/**
 * error_groups rows carry no source, so with --source the groups come from the window's raw failures while those
 * are retained; otherwise they cover every source and the method says so.
 */
function windowErrorGroups(ctx: StoreContext, req: WindowRequest, hours: TimeRange | null, edges: TimeRange[], notes: string[]): ErrorGroupRow[] {
  const { range, scope } = req;
  if (scope.source !== null) {
    if (!retained(ctx, range)) notes.push('Error groups are stored per operation, not per source, and these raw events were pruned: error groups cover every source.');
    return rangeErrorGroups(ctx, scope, range);
  }
  const edgeGroups = rollupBatch(edges.flatMap((r) => ctx.q.rawEvents(r, scope, true))).errorGroups;
  return mergeErrorGroups([...(hours ? ctx.q.errorGroups(hours, scope.ops) : []), ...edgeGroups]);
}

/** Error groups of any range (a spike's hour): from whole hours, or per source from raw failures while retained. */
export function rangeErrorGroups(ctx: StoreContext, scope: Scope, r: TimeRange): ErrorGroupRow[] {
  if (scope.source !== null && retained(ctx, r)) return mergeErrorGroups(rollupBatch(ctx.q.rawEvents(r, scope, true)).errorGroups);
  return mergeErrorGroups(ctx.q.errorGroups({ from: floorTo(r.from, HOUR_MS), to: ceilTo(r.to, HOUR_MS) }, scope.ops));
}

function retained(ctx: StoreContext, r: TimeRange): boolean {
  return isRetained(r, ctx.rawPrunedBefore);
}

/** Merges rows over hours by (op, category, fingerprint); the example of the most recent row is kept. */
function mergeErrorGroups(rows: ErrorGroupRow[]): ErrorGroupRow[] {
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
function coveredMinutes(range: TimeRange, extent: TimeRange | null): number {
  const overlap = extent ? Math.min(range.to, extent.to) - Math.max(range.from, extent.from) : 0;
  return (overlap > 0 ? overlap : range.to - range.from) / MINUTE_MS;
}

function span(r: TimeRange): string {
  return `${formatMinute(r.from)}–${formatMinute(r.to)}`;
}

function iso(ms: number): string {
  return formatMinute(ms);
}
