import type { TimeRange } from '../store/queries.js';
import { ceilTo, floorTo, HOUR_MS, MINUTE_MS } from '../core/time.js';

/**
 * How a window [from, to) is read (DESIGN.md "Store"). Totals come from minute_stats for its whole minutes and
 * from raw events for the partial minutes at its edges; percentiles and error groups come from hour_hist and
 * error_groups for its whole hours and from raw events for the partial hours at its edges. An edge whose raw
 * events were pruned is read whole from the rollups instead (`widened`): the window then effectively starts at
 * that minute (totals) or hour (percentiles, error groups), and the method description says so.
 */
export interface WindowPlan {
  /** Whole minutes read from minute_stats. */
  minutes: TimeRange | null;
  /** Partial minutes read raw (totals). */
  minuteEdges: TimeRange[];
  /** Whole hours read from hour_hist and error_groups. */
  hours: TimeRange | null;
  /** Partial hours read raw (durations, failures). */
  hourEdges: TimeRange[];
  /** Partial hours that could not be read raw. */
  widened: TimeRange[];
}

/** True when the raw events of all of `r` are still stored. */
export function isRetained(r: TimeRange, rawPrunedBefore: number | null): boolean {
  return rawPrunedBefore === null || r.from >= rawPrunedBefore;
}

/** The part of a range whose raw events are still stored, or null. */
export function retainedPart(range: TimeRange, rawPrunedBefore: number | null): TimeRange | null {
  const from = Math.max(range.from, rawPrunedBefore ?? -Infinity);
  return from < range.to ? { from, to: range.to } : null;
}

export function planWindow(range: TimeRange, rawPrunedBefore: number | null): WindowPlan {
  const retained = (r: TimeRange) => isRetained(r, rawPrunedBefore);
  const hours = split(range, HOUR_MS);
  const minutes = split(range, MINUTE_MS);
  const plan: WindowPlan = { minutes: minutes.core, minuteEdges: [], hours: hours.core, hourEdges: [], widened: [] };
  for (const e of hours.edges) {
    if (retained(e)) plan.hourEdges.push(e);
    else {
      plan.widened.push(e);
      plan.hours = union(plan.hours, outward(e, HOUR_MS));
    }
  }
  for (const e of minutes.edges) {
    if (retained(e)) plan.minuteEdges.push(e);
    else plan.minutes = union(plan.minutes, outward(e, MINUTE_MS));
  }
  return plan;
}

/** The whole steps inside a range and the partial ones at its ends (the whole range when no step fits). */
function split(range: TimeRange, step: number): { core: TimeRange | null; edges: TimeRange[] } {
  const from = ceilTo(range.from, step);
  const to = floorTo(range.to, step);
  if (from >= to) return { core: null, edges: [range] };
  const edges = [{ from: range.from, to: from }, { from: to, to: range.to }].filter((e) => e.from < e.to);
  return { core: { from, to }, edges };
}

function outward(r: TimeRange, step: number): TimeRange {
  return { from: floorTo(r.from, step), to: ceilTo(r.to, step) };
}

/** Edges touch the core, so the union of two ranges here is always one range. */
function union(a: TimeRange | null, b: TimeRange): TimeRange {
  return a ? { from: Math.min(a.from, b.from), to: Math.max(a.to, b.to) } : b;
}
