import type { Scope, StoreQueries, TimeRange } from '../store/queries.js';
import type { DataQuality } from './analysis-document.js';
import { floorTo, MINUTE_MS } from '../core/time.js';

export interface QualityRequest {
  range: TimeRange;
  scope: Scope;
  nowMs: number;
  gapMinutes: number;
  extent: TimeRange | null;
}

/** Quarantined lines (whole store), events stamped after now, and silent stretches inside the window. */
export function dataQuality(q: StoreQueries, req: QualityRequest): DataQuality {
  const quarantine = q.quarantine();
  // Clock skew is a timestamp later than the moment the line was read. With --now pinned in the past, events
  // between now and the last ingest are simply later data, not stamped in the future.
  const futureAfter = Math.max(req.nowMs, q.lastIngest() ?? req.nowMs);
  return {
    quarantined: quarantine.total,
    quarantineReasons: quarantine.reasons,
    storedEvents: quarantine.storedEvents,
    foldedOperations: quarantine.foldedOperations,
    ...(Object.keys(quarantine.foldedValues).length ? { foldedValues: quarantine.foldedValues } : {}),
    futureEvents: q.countAfter(futureAfter, req.scope),
    gaps: findGaps(q.activeMinutes({ from: floorTo(req.range.from, MINUTE_MS), to: req.range.to }, req.scope), req),
  };
}

/**
 * Stretches with no event for longer than gapMinutes, to the minute. Only windows with data have gaps. The
 * stretch before the first event counts only when the store has older data (otherwise the logs simply start
 * there); the stretch after the last one counts up to now, because logs that stop arriving are the gap people
 * most need to see.
 */
function findGaps(active: readonly number[], req: QualityRequest): DataQuality['gaps'] {
  if (active.length === 0) return [];
  const gaps: DataQuality['gaps'] = [];
  const add = (from: number, to: number) => {
    const minutes = (to - from) / MINUTE_MS;
    if (minutes > req.gapMinutes) gaps.push({ from, to, minutes });
  };
  if (req.extent && req.extent.from < req.range.from) add(req.range.from, Math.max(req.range.from, active[0]));
  for (let i = 1; i < active.length; i++) add(active[i - 1] + MINUTE_MS, active[i]);
  const end = Math.min(req.range.to, req.nowMs);
  const last = active[active.length - 1] + MINUTE_MS;
  if (last < end) add(last, end);
  return gaps;
}
