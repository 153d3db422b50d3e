import type { Attribution } from './analysis-document.js';
import { normalCdf } from './stats/normal-cdf.js';

/** One event as attribution sees it. */
export interface LabeledEvent {
  /** Dimension name -> value (host, version, region, status … and the source and operation). */
  dims: Record<string, string>;
  /** Part of the change: slow or failed, after the onset. */
  changed: boolean;
  /** After the onset. */
  after: boolean;
}

/** Adjusted p-values at or under these name a value with high / medium confidence; above, it is not named. */
const HIGH_P = 1e-6;
const MEDIUM_P = 1e-3;
/** A named value is at least this much more common among the changed events than among the rest… */
const MIN_DIFFERENCE = 0.1;
/** …and carries at least this share of the change. */
const MIN_SHARE = 0.2;
/** Fewer changed events than this are too few to say where they are. */
export const MIN_CHANGED = 10;

/**
 * Which dimension values explain a change, in the manner of Honeycomb's BubbleUp: every value of every dimension
 * is compared between the changed events (slow or failed, after the onset) and the rest (everything else read
 * around the onset), and a value is named when
 *  - it is over-represented among the changed events: a one-sided two-proportion z-test, Bonferroni-adjusted over
 *    every value tested, at p ≤ 1e-3 (medium confidence) or ≤ 1e-6 (high);
 *  - the difference of the two proportions is at least 10 points (a tiny but significant lift on a large sample is
 *    not an explanation);
 *  - it carries at least 20 % of the change: its changed events beyond what the pre-onset rate predicts for its own
 *    after-onset traffic (`baseRate` × its events after the onset), over the same excess for all events.
 * Values whose name starts with "(" (no value, folded values) are counted but never named. Ranked by the
 * difference of proportions, largest first. Empty when nothing stands out: a change spread evenly over every
 * host, version and region is reported as such, not pinned on the largest of them.
 */
export function attribute(events: Iterable<LabeledEvent>, baseRate: number): { attribution: Attribution[]; changed: number; rest: number } {
  const counts = new Map<string, Map<string, { changed: number; rest: number; after: number }>>();
  let changed = 0;
  let rest = 0;
  let after = 0;
  for (const e of events) {
    if (e.changed) changed++;
    else rest++;
    if (e.after) after++;
    for (const dim in e.dims) {
      const byValue = counts.get(dim) ?? counts.set(dim, new Map()).get(dim)!;
      const v = e.dims[dim];
      const c = byValue.get(v) ?? byValue.set(v, { changed: 0, rest: 0, after: 0 }).get(v)!;
      if (e.changed) c.changed++;
      else c.rest++;
      if (e.after) c.after++;
    }
  }
  const excessTotal = changed - baseRate * after;
  if (changed < MIN_CHANGED || rest === 0 || !(excessTotal > 0)) return { attribution: [], changed, rest };
  let tested = 0;
  for (const byValue of counts.values()) if (byValue.size > 1) tested += byValue.size;
  const out: Attribution[] = [];
  for (const [dimension, byValue] of counts) {
    if (byValue.size < 2) continue; // one value everywhere explains nothing
    for (const [value, c] of byValue) {
      if (value.startsWith('(')) continue;
      const changedShare = c.changed / changed;
      const restShare = c.rest / rest;
      const difference = changedShare - restShare;
      if (difference < MIN_DIFFERENCE) continue;
      const share = Math.min(1, Math.max(0, (c.changed - baseRate * c.after) / excessTotal));
      if (share < MIN_SHARE) continue;
      const pooled = (c.changed + c.rest) / (changed + rest);
      const se = Math.sqrt(pooled * (1 - pooled) * (1 / changed + 1 / rest));
      const p = se > 0 ? normalCdf(-difference / se) : 0;
      const pValue = Math.min(1, p * tested);
      if (pValue > MEDIUM_P) continue;
      out.push({
        dimension, value, share, changedShare, restShare, changedEvents: c.changed, pValue,
        confidence: pValue <= HIGH_P ? 'high' : 'medium',
      });
    }
  }
  out.sort((a, b) => b.changedShare - b.restShare - (a.changedShare - a.restShare) || b.share - a.share || a.dimension.localeCompare(b.dimension) || a.value.localeCompare(b.value));
  return { attribution: out, changed, rest };
}
