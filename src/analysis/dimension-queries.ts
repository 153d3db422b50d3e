import { bucketOf, mergeInto, type Buckets } from '../aggregate/sketch.js';
import type {
  BucketTotals, ConcurrencySample, GroupBy, MinuteTotals, RawExample, Scope, StoreQueries, TimeRange,
} from '../store/queries.js';
import { rollupBatch } from '../aggregate/rollup.js';
import { addSums, emptySums, type ErrorGroupRow, type MinuteSums } from '../aggregate/rollup-rows.js';
import type { SourcedEvent } from '../core/op-event.js';
import { MINUTE_MS } from '../core/time.js';

/** `--where FIELD=VALUE` (every pair must hold) and `--group-by FIELD` on dimensions kept from the lines. */
export interface DimensionView {
  where: Record<string, string>;
  /** The dimension whose values become the groups; null keeps grouping by operation or source. */
  groupBy: string | null;
}

/** Events without the grouping dimension are grouped under this name. */
export const NO_VALUE = '(none)';

/**
 * The store as seen through dimensions: every read is answered from the raw events that match `where`, with the
 * source replaced by the `groupBy` dimension's value, so the whole analysis (KPIs, comparisons, trends, charts,
 * rules) runs unchanged on a slice such as `--where version=2.4.1 --group-by host`. Rollups carry no dimensions,
 * so this needs raw events: analyze refuses a window whose raw events were pruned. The events of `span` in the
 * analysis's scope `base` are read once and kept; reads outside it go to the store.
 */
export function dimensionQueries(inner: StoreQueries, view: DimensionView, span: TimeRange, base: Scope): StoreQueries {
  const pairs = Object.entries(view.where);
  const match = (e: SourcedEvent) => pairs.every(([k, v]) => e.dims?.[k] === v || (k === 'source' && e.source === v));
  const relabel = (e: SourcedEvent): SourcedEvent => (view.groupBy === null ? e : { ...e, source: e.dims?.[view.groupBy] ?? NO_VALUE });
  let loaded: SourcedEvent[] | null = null;
  const read = (range: TimeRange, scope: Scope): SourcedEvent[] => {
    if (range.from < span.from || range.to > span.to) return inner.rawEvents(range, scope).filter(match);
    loaded ??= inner.rawEvents(span, base).filter(match);
    const ops = scope.ops ? new Set(scope.ops) : null;
    return loaded.filter((e) => e.ts >= range.from && e.ts < range.to && (!ops || ops.has(e.op)) && (scope.source === null || e.source === scope.source));
  };
  const grouped = (range: TimeRange, scope: Scope) => read(range, scope).map(relabel);
  const name = (e: SourcedEvent, g: GroupBy) => (g === 'op' ? e.op : e.source);

  return {
    operations: () => inner.operations(),
    sources: () => inner.sources(),
    rawPrunedBefore: () => inner.rawPrunedBefore(),
    extent: () => inner.extent(),
    lastIngest: () => inner.lastIngest(),
    quarantine: () => inner.quarantine(),
    firstLastEvent(range, scope) {
      const es = read(range, scope);
      if (es.length === 0) return null;
      let first = Infinity;
      let last = -Infinity;
      for (const e of es) {
        first = Math.min(first, e.ts);
        last = Math.max(last, e.ts);
      }
      return { first, last };
    },
    sourcesIn: (range, scope) => [...new Set(read(range, scope).map((e) => e.source))].sort(),
    minuteTotals(range, scope, groupBy): MinuteTotals[] {
      const byGroup = new Map<string, { sums: MinuteSums; perMinute: Map<number, number> }>();
      for (const m of rollupBatch(grouped(range, scope)).minutes) {
        const g = groupBy === 'op' ? m.op : m.source;
        const into = byGroup.get(g) ?? byGroup.set(g, { sums: emptySums(), perMinute: new Map() }).get(g)!;
        addSums(into.sums, m);
        into.perMinute.set(m.minute, (into.perMinute.get(m.minute) ?? 0) + m.count);
      }
      return [...byGroup].map(([group, { sums, perMinute }]) => {
        let peakMinute: number | null = null;
        let peakCount = 0;
        for (const [minute, n] of [...perMinute].sort((a, b) => a[0] - b[0])) if (n > peakCount) [peakMinute, peakCount] = [minute, n];
        return { ...sums, group, peakCount, peakMinute };
      });
    },
    peakMinute(range, scope) {
      const perMinute = new Map<number, number>();
      for (const e of read(range, scope)) perMinute.set(e.ts - (e.ts % MINUTE_MS), (perMinute.get(e.ts - (e.ts % MINUTE_MS)) ?? 0) + 1);
      let best: { minute: number; count: number } | null = null;
      for (const [minute, count] of [...perMinute].sort((a, b) => a[0] - b[0])) if (!best || count > best.count) best = { minute, count };
      return best;
    },
    hourHistograms(range, scope, groupBy) {
      const out = new Map<string, Buckets>();
      for (const e of grouped(range, scope)) {
        if (e.durationMs === null) continue;
        const g = name(e, groupBy);
        mergeInto(out.get(g) ?? out.set(g, new Map()).get(g)!, bucketOf(e.durationMs), 1);
      }
      return out;
    },
    errorGroups(range, ops) {
      const merged = new Map<string, ErrorGroupRow>();
      for (const g of rollupBatch(read(range, { ops, source: null })).errorGroups) {
        const key = JSON.stringify([g.op, g.category, g.fingerprint]);
        const into = merged.get(key);
        if (!into) merged.set(key, { ...g });
        else {
          into.count += g.count;
          into.firstSeen = Math.min(into.firstSeen, g.firstSeen);
          into.lastSeen = Math.max(into.lastSeen, g.lastSeen);
          into.hour = Math.min(into.hour, g.hour);
        }
      }
      return [...merged.values()];
    },
    rawEvents: (range, scope, failuresOnly = false) => grouped(range, scope).filter((e) => !failuresOnly || !e.ok),
    rawDurations(range, scope, groupBy) {
      const out = new Map<string, number[]>();
      for (const e of grouped(range, scope)) if (e.durationMs !== null) (out.get(name(e, groupBy)) ?? out.set(name(e, groupBy), []).get(name(e, groupBy))!).push(e.durationMs);
      return out;
    },
    seriesTotals(range, stepMs, scope, groupBy, keep): BucketTotals[] {
      const kept = new Set(keep);
      const rows = new Map<string, BucketTotals>();
      for (const e of grouped(range, scope)) {
        const g = kept.has(name(e, groupBy)) ? name(e, groupBy) : null;
        const t = e.ts - (e.ts % stepMs);
        const key = `${g}\u0000${t}`;
        const r = rows.get(key) ?? rows.set(key, {
          group: g, t, count: 0, errorCount: 0, timeoutCount: 0, retriesSum: 0, durCount: 0, durSum: 0, durMin: null, durMax: null, memMax: null, concMax: null,
        }).get(key)!;
        r.count++;
        if (!e.ok) r.errorCount++;
        if (e.errorCategory === 'timeout') r.timeoutCount++;
        const retries = e.attrs?.retries;
        if (typeof retries === 'number' && retries > 0) r.retriesSum += retries;
        if (e.durationMs !== null) {
          r.durCount++;
          r.durSum += e.durationMs;
          r.durMin = r.durMin === null ? e.durationMs : Math.min(r.durMin, e.durationMs);
          r.durMax = r.durMax === null ? e.durationMs : Math.max(r.durMax, e.durationMs);
        }
        const mem = e.attrs?.memoryMb;
        if (typeof mem === 'number') r.memMax = r.memMax === null ? mem : Math.max(r.memMax, mem);
        const conc = e.attrs?.concurrency;
        if (typeof conc === 'number') r.concMax = r.concMax === null ? conc : Math.max(r.concMax, conc);
      }
      return [...rows.values()].sort((a, b) => a.t - b.t);
    },
    seriesHistograms(range, stepMs, scope, groupBy, keep) {
      return histogramsOf(grouped(range, scope), stepMs, groupBy, keep);
    },
    rawSeriesHistograms(range, stepMs, scope, groupBy, keep) {
      return histogramsOf(grouped(range, scope), stepMs, groupBy, keep);
    },
    activeMinutes: (range, scope) => [...new Set(read(range, scope).map((e) => e.ts - (e.ts % MINUTE_MS)))].sort((a, b) => a - b),
    countAfter: (ms, scope) => read({ from: ms + 1, to: Number.MAX_SAFE_INTEGER }, scope).length,
    hasConcurrency: (range, scope) => read(range, scope).some((e) => typeof e.attrs?.concurrency === 'number'),
    concurrencySample(range, scope, maxRows): ConcurrencySample[] {
      const with_ = read(range, scope).filter((e) => typeof e.attrs?.concurrency === 'number').sort((a, b) => a.ts - b.ts);
      const every = Math.max(1, Math.ceil(with_.length / maxRows));
      return with_.filter((_, i) => i % every === 0).map((e) => ({ concurrency: e.attrs!.concurrency as number, ok: e.ok, durationMs: e.durationMs }));
    },
    slowest(range, scope, ops, k): RawExample[] {
      return ops.flatMap((op) => read(range, { ops: [op], source: scope.source })
        .filter((e) => e.durationMs !== null)
        .sort((a, b) => (b.durationMs as number) - (a.durationMs as number) || a.ts - b.ts)
        .slice(0, k)
        .map((e) => ({ ts: e.ts, op: e.op, source: e.source, durationMs: e.durationMs as number, ok: e.ok })));
    },
  };
}

/** Histograms per (kept group or null for the rest, bucket start), shaped like StoreQueries.seriesHistograms. */
function histogramsOf(events: readonly SourcedEvent[], stepMs: number, groupBy: GroupBy, keep: readonly string[]): Map<string | null, Map<number, Buckets>> {
  const kept = new Set(keep);
  const out = new Map<string | null, Map<number, Buckets>>();
  for (const e of events) {
    if (e.durationMs === null) continue;
    const n = groupBy === 'op' ? e.op : e.source;
    const g = kept.has(n) ? n : null;
    const byT = out.get(g) ?? out.set(g, new Map()).get(g)!;
    const t = e.ts - (e.ts % stepMs);
    mergeInto(byT.get(t) ?? byT.set(t, new Map()).get(t)!, bucketOf(e.durationMs), 1);
  }
  return out;
}
