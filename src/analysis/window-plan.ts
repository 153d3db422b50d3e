import type { TimeRange } from '../store/queries.js';
import { HOUR_MS, MINUTE_MS } from './window.js';

/**
 * How a window [from, to) is read (DESIGN.md "Store"): whole hours from the rollups (minute_stats, hour_hist,
 * error_groups), the partial hours at its edges from raw events while those are retained. An edge whose raw
 * events were pruned is read whole from the rollups instead (`widened`): the window then effectively starts at
 * the earlier minute/hour and ends at the later one, and the method description says so.
 */
export interface WindowPlan {
  /** Minutes read from minute_stats. */
  minutes: TimeRange | null;
  /** Hours read from hour_hist and error_groups. */
  hours: TimeRange | null;
  /** Edges read from raw events. */
  raw: TimeRange[];
  /** Edges that could not be read raw. */
  widened: TimeRange[];
}

export function planWindow(range: TimeRange, rawRetainedFrom: number | null): WindowPlan {
  const hFrom = ceilTo(range.from, HOUR_MS);
  const hTo = floorTo(range.to, HOUR_MS);
  const plan: WindowPlan = { minutes: null, hours: null, raw: [], widened: [] };
  let edges: TimeRange[];
  if (hFrom <= hTo) {
    if (hFrom < hTo) plan.minutes = plan.hours = { from: hFrom, to: hTo };
    edges = [{ from: range.from, to: hFrom }, { from: hTo, to: range.to }].filter((e) => e.from < e.to);
  } else {
    edges = [range];
  }
  for (const e of edges) {
    if (rawRetainedFrom === null || e.from >= rawRetainedFrom) {
      plan.raw.push(e);
      continue;
    }
    plan.widened.push(e);
    plan.minutes = union(plan.minutes, { from: floorTo(e.from, MINUTE_MS), to: ceilTo(e.to, MINUTE_MS) });
    plan.hours = union(plan.hours, { from: floorTo(e.from, HOUR_MS), to: ceilTo(e.to, HOUR_MS) });
  }
  return plan;
}

/** Edges touch the core, so the union of two ranges here is always one range. */
function union(a: TimeRange | null, b: TimeRange): TimeRange {
  return a ? { from: Math.min(a.from, b.from), to: Math.max(a.to, b.to) } : b;
}

export function floorTo(ms: number, step: number): number {
  return ms - (((ms % step) + step) % step);
}

export function ceilTo(ms: number, step: number): number {
  const f = floorTo(ms, step);
  return f === ms ? ms : f + step;
}
