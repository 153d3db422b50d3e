import { bucketOf, type Buckets } from '../../aggregate/sketch.js';
import { MINUTE_MS } from '../../core/time.js';
import type { BatchPart } from '../batch-writer.js';
import { decodeStoredChunk, type StoredChunk } from '../event-chunks.js';
import type { Db } from './open-store.js';
import { STORED_CHUNK } from './raw-events.js';

/**
 * five_min_hist holds the raw events' durations bucketed per (5-minute start, op, source) as hour_hist buckets
 * them per hour: a short window's fine series (an incident's) reads its whole 5-minute buckets from here instead
 * of bucketing every raw event of the window. Each batch adds one row holding its own histograms (as JSON, with
 * the first and last start among them), and readers sum the rows: merging into a row per (start, op, source) would
 * read and write a row for each of them a batch touches, which on a log with thousands of operations costs more
 * than the rest of the batch's rollups.
 */
export const FIVE_MINUTES = 5 * MINUTE_MS;

/** One histogram of a five_min_hist row: start, op id, source id, buckets and their counts. */
export type FiveMinuteHistogram = [number, number, number, number[], number[]];

/**
 * Bucket counts of one 5-minute start as they are added up: the buckets of durations from a nanosecond to about
 * nine days in a dense array (a Map update per event costs several times the rest of the work on the writer's
 * thread), the rest in the start's Map directly.
 */
const DENSE = 2048;
const DENSE_FROM = -1024;
const dense = new Int32Array(DENSE);
const touched: number[] = [];

/** Moves the dense counts into `b`. */
function flushDense(b: Buckets): void {
  for (const j of touched) {
    const k = j + DENSE_FROM;
    b.set(k, (b.get(k) ?? 0) + dense[j]);
    dense[j] = 0;
  }
  touched.length = 0;
}

/** Adds the bucket of each event that has a duration to the histogram of its 5-minute start (start -> buckets). */
export function addFiveMinuteBuckets(into: Map<number, Buckets>, ts: Float64Array, duration: Float64Array, n: number): void {
  // A chunk's events come in time order, mostly: its start's histogram is looked up again only when it changes.
  let from = Infinity;
  let to = -Infinity;
  let b: Buckets | undefined;
  for (let i = 0; i < n; i++) {
    const d = duration[i];
    if (Number.isNaN(d)) continue;
    const t = ts[i];
    if (!(t >= from && t < to)) {
      if (b) flushDense(b);
      from = t - (t % FIVE_MINUTES);
      to = from + FIVE_MINUTES;
      b = into.get(from);
      if (!b) into.set(from, (b = new Map()));
    }
    const k = bucketOf(d);
    const j = k - DENSE_FROM;
    if (j >= 0 && j < DENSE) {
      if (dense[j]++ === 0) touched.push(j);
    } else {
      b!.set(k, (b!.get(k) ?? 0) + 1);
    }
  }
  if (b) flushDense(b);
}

/** An aligned copy of a chunk's first two columns (times, then durations: the layout of event-chunks.ts), reused. */
let leading = new Float64Array(0);
function timesAndDurations(data: Uint8Array, n: number): { ts: Float64Array; duration: Float64Array } {
  if (leading.length < 2 * n) leading = new Float64Array(2 * n);
  new Uint8Array(leading.buffer, 0, 16 * n).set(data.subarray(0, 16 * n));
  return { ts: leading.subarray(0, n), duration: leading.subarray(n, 2 * n) };
}

/** One (op id, source id)'s histograms per 5-minute start. */
interface Group {
  op: number;
  source: number;
  starts: Map<number, Buckets>;
}

/** The group of (op, source) in `groups`, added when new. */
function groupOf(groups: Map<string, Group>, op: number, source: number): Group {
  const key = `${op}\u0000${source}`;
  let g = groups.get(key);
  if (!g) groups.set(key, (g = { op, source, starts: new Map() }));
  return g;
}

/** Adds batches' raw events to five_min_hist, a row per batch, in the batch's transaction. */
export class FiveMinuteHistWriter {
  private readonly insert;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO five_min_hist (first_start, last_start, hists) VALUES (?, ?, ?)');
  }

  /** The raw chunks of a batch's parts, their operation and source names turned into ids by `id`. */
  add(parts: readonly BatchPart[], id: (kind: 'op' | 'source', name: string) => number): void {
    const groups = new Map<string, Group>();
    for (const { chunks } of parts) {
      for (const c of chunks) {
        const { ts, duration } = timesAndDurations(c.data, c.n);
        addFiveMinuteBuckets(groupOf(groups, id('op', c.op), id('source', c.source)).starts, ts, duration, c.n);
      }
    }
    this.write(groups.values());
  }

  /** One row holding the histograms of `groups` (none: no row). */
  write(groups: Iterable<Group>): void {
    const hists: FiveMinuteHistogram[] = [];
    let first = Infinity;
    let last = -Infinity;
    for (const g of groups) {
      for (const [t, b] of g.starts) {
        hists.push([t, g.op, g.source, [...b.keys()], [...b.values()]]);
        first = Math.min(first, t);
        last = Math.max(last, t);
      }
    }
    if (hists.length) this.insert.run(first, last, JSON.stringify(hists));
  }
}

/** Fills five_min_hist from the raw chunks, a row per hour (the upgrade to the schema that adds it). */
export function fillFiveMinuteHist(db: Db): void {
  const writer = new FiveMinuteHistWriter(db);
  const hours = db.prepare('SELECT DISTINCT hour FROM event_chunks ORDER BY hour').pluck().all() as number[];
  const read = db.prepare(`SELECT c.op_id AS opId, c.source_id AS sourceId, ${STORED_CHUNK} WHERE c.hour = ? ORDER BY c.id`);
  for (const hour of hours) {
    const groups = new Map<string, Group>();
    for (const row of read.all(hour) as Array<StoredChunk & { opId: number; sourceId: number }>) {
      const { columns } = decodeStoredChunk(row);
      addFiveMinuteBuckets(groupOf(groups, row.opId, row.sourceId).starts, columns.ts, columns.duration, columns.n);
    }
    writer.write(groups.values());
  }
}
