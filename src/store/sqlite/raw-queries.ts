import type { SourcedEvent } from '../../core/op-event.js';
import { bucketOf, mergeInto, type Buckets } from '../../aggregate/sketch.js';
import { dimsByEvent, FLAG_OK } from '../event-chunks.js';
// Raw-event look-ups of StoreQueries, over the column chunks of event-chunks.ts.
import { sampleSlices, type ConcurrencySample, type GroupBy, type RawExample, type Scope, type TimeRange } from '../queries.js';
import type { ChunkReader } from './raw-events.js';

export function rawEvents(reader: ChunkReader, range: TimeRange, scope: Scope): SourcedEvent[] {
  return [...reader.events({ fromMs: range.from, toMs: range.to }, scope)];
}

/** Only the failures, read from each chunk's failure list without decoding every event into an object. */
export function rawFailures(reader: ChunkReader, range: TimeRange, scope: Scope): SourcedEvent[] {
  const out: SourcedEvent[] = [];
  for (const chunk of reader.chunks({ fromMs: range.from, toMs: range.to }, scope)) {
    if (!chunk.failures.length) continue;
    const { ts, duration, n } = chunk.columns;
    const dims = chunk.dims ? dimsByEvent(chunk.dims, n) : null;
    for (const x of chunk.failures) {
      if (ts[x.i] < range.from || ts[x.i] >= range.to) continue;
      const e: SourcedEvent = { ts: ts[x.i], op: chunk.op, source: chunk.source, durationMs: Number.isNaN(duration[x.i]) ? null : duration[x.i], ok: false };
      if (x.category !== undefined) e.errorCategory = x.category;
      if (x.code !== undefined) e.errorCode = x.code;
      if (x.message !== undefined) e.errorMessage = x.message;
      const d = dims?.[x.i];
      if (d) e.dims = d;
      out.push(e);
    }
  }
  return out;
}

/** Durations per group, read straight from the typed columns (the --exact path over whole windows). */
export function rawDurations(reader: ChunkReader, range: TimeRange, scope: Scope, groupBy: GroupBy): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const chunk of reader.chunks({ fromMs: range.from, toMs: range.to }, scope)) {
    const key = groupBy === 'op' ? chunk.op : chunk.source;
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    const { ts, duration, n } = chunk.columns;
    for (let i = 0; i < n; i++) {
      if (ts[i] >= range.from && ts[i] < range.to && !Number.isNaN(duration[i])) list.push(duration[i]);
    }
  }
  for (const [k, v] of out) if (v.length === 0) out.delete(k);
  return out;
}

/** Histograms per (kept group or null for the rest, bucket start), straight from the typed columns, added to `out`. */
export function rawSeriesHistograms(
  reader: ChunkReader, range: TimeRange, stepMs: number, scope: Scope, groupBy: GroupBy, keep: readonly string[],
  out = new Map<string | null, Map<number, Buckets>>(),
): Map<string | null, Map<number, Buckets>> {
  const kept = new Set(keep);
  for (const chunk of reader.chunks({ fromMs: range.from, toMs: range.to }, scope)) {
    const name = groupBy === 'op' ? chunk.op : chunk.source;
    const g = kept.has(name) ? name : null;
    const { ts, duration, n } = chunk.columns;
    // A chunk's events come in time order, mostly: its bucket's histogram is looked up again only when it changes.
    let byT: Map<number, Buckets> | undefined;
    let at = NaN;
    let b: Buckets | undefined;
    for (let i = 0; i < n; i++) {
      if (ts[i] < range.from || ts[i] >= range.to || Number.isNaN(duration[i])) continue;
      if (!byT && !(byT = out.get(g))) out.set(g, (byT = new Map()));
      const t = ts[i] - (ts[i] % stepMs);
      if (t !== at || !b) {
        at = t;
        b = byT.get(t);
        if (!b) byT.set(t, (b = new Map()));
      }
      mergeInto(b, bucketOf(duration[i]), 1);
    }
  }
  return out;
}

export function concurrencySample(reader: ChunkReader, range: TimeRange, scope: Scope, maxRows: number): ConcurrencySample[] {
  const { per, slices } = sampleSlices(range, maxRows);
  const out: ConcurrencySample[] = [];
  for (const { from, to } of slices) {
    let taken = 0;
    for (const chunk of reader.chunks({ fromMs: from, toMs: to }, scope)) {
      const { ts, concurrency, duration, flags, n } = chunk.columns;
      for (let i = 0; i < n && taken < per; i++) {
        if (ts[i] < from || ts[i] >= to || Number.isNaN(concurrency[i])) continue;
        out.push({ concurrency: concurrency[i], ok: (flags[i] & FLAG_OK) !== 0, durationMs: Number.isNaN(duration[i]) ? null : duration[i] });
        taken++;
      }
      if (taken >= per) break;
    }
  }
  return out;
}

/** Raw events of one operation in the given minutes, slowest first. */
export function slowestIn(reader: ChunkReader, minutes: readonly TimeRange[], scope: Scope, op: string, k: number): RawExample[] {
  const found: RawExample[] = [];
  const only = { ops: [op], source: scope.source };
  for (const m of minutes) {
    for (const chunk of reader.chunks({ fromMs: m.from, toMs: m.to }, only)) {
      const { ts, duration, flags, n } = chunk.columns;
      for (let i = 0; i < n; i++) {
        if (ts[i] < m.from || ts[i] >= m.to || Number.isNaN(duration[i])) continue;
        found.push({ ts: ts[i], op, source: chunk.source, durationMs: duration[i], ok: (flags[i] & FLAG_OK) !== 0 });
      }
    }
  }
  return found.sort((a, b) => b.durationMs - a.durationMs || a.ts - b.ts).slice(0, k);
}

/** Earliest and latest raw event in `range`, and how many there are. */
export function rawSpan(reader: ChunkReader, range: TimeRange, scope: Scope): { first: number | null; last: number | null; count: number } {
  let first = Infinity;
  let last = -Infinity;
  let count = 0;
  for (const chunk of reader.chunks({ fromMs: range.from, toMs: range.to }, scope)) {
    const { ts, n } = chunk.columns;
    for (let i = 0; i < n; i++) {
      if (ts[i] < range.from || ts[i] >= range.to) continue;
      count++;
      if (ts[i] < first) first = ts[i];
      if (ts[i] > last) last = ts[i];
    }
  }
  return count ? { first, last, count } : { first: null, last: null, count };
}
