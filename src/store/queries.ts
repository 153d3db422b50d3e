import type { ErrorGroupRow, MinuteSums } from '../aggregate/rollup-rows.js';
import type { SourcedEvent } from '../core/op-event.js';
import type { Buckets } from '../aggregate/sketch.js';
import { ceilTo, floorTo } from '../core/time.js';

/**
 * The narrow interface the analysis reads the store through (DESIGN.md "Store"): window totals, merged
 * histograms, series, error groups and a few indexed raw-event look-ups. Nothing here knows about KPIs or
 * windows' edges; a server database (rollups in PostgreSQL, raw events in ClickHouse) can stand behind it.
 * Every range is [from, to) in epoch ms and is matched against the row's own time key (minute, hour or ts).
 */
export interface TimeRange {
  from: number;
  to: number;
}

/** Which events: a set of operation names (null = all) and one source (null = all). */
export interface Scope {
  ops: readonly string[] | null;
  source: string | null;
}

/** Rows are grouped by operation or by source name. */
export type GroupBy = 'op' | 'source';

/** Sums and extremes of one group over whole minutes, shaped like a rollup's MinuteRow so both merge alike. */
export interface MinuteTotals extends MinuteSums {
  group: string;
  /** The group's busiest minute. */
  peakCount: number;
  peakMinute: number | null;
}

/** Totals of one series bucket (hour or day) for one group; group null = every group not asked for by name. */
export interface BucketTotals {
  group: string | null;
  t: number;
  count: number;
  errorCount: number;
  timeoutCount: number;
  retriesSum: number;
  /** Events with a duration and the sum of their durations (ms). */
  durCount: number;
  durSum: number;
  durMin: number | null;
  durMax: number | null;
  memMax: number | null;
  concMax: number | null;
}

export interface ConcurrencySample {
  concurrency: number;
  ok: boolean;
  durationMs: number | null;
}

export interface RawExample {
  ts: number;
  op: string;
  source: string;
  durationMs: number;
  ok: boolean;
}

export interface StoreQueries {
  /** Every operation and source name the store knows. */
  operations(): string[];
  sources(): string[];
  /** Raw events before this instant were pruned; null when nothing was ever pruned. */
  rawPrunedBefore(): number | null;
  /** First and last minute holding events, over the whole store; null when it is empty. */
  extent(): TimeRange | null;
  /** First and last event time inside `range` (exact where raw events are kept, else the minute). */
  firstLastEvent(range: TimeRange, scope: Scope): { first: number; last: number } | null;
  sourcesIn(range: TimeRange, scope: Scope): string[];
  /** minute_stats rows whose minute is in `range`, summed per group. */
  minuteTotals(range: TimeRange, scope: Scope, groupBy: GroupBy): MinuteTotals[];
  /** The busiest minute in `range` over everything in scope. */
  peakMinute(range: TimeRange, scope: Scope): { minute: number; count: number } | null;
  /** hour_hist rows whose hour is in `range`, merged per group. */
  hourHistograms(range: TimeRange, scope: Scope, groupBy: GroupBy): Map<string, Buckets>;
  /** error_groups rows whose hour is in `range`, merged by (op, category, fingerprint). They carry no source. */
  errorGroups(range: TimeRange, ops: readonly string[] | null): ErrorGroupRow[];
  /** Raw events with ts in `range`, as the rollup reads them. */
  rawEvents(range: TimeRange, scope: Scope, failuresOnly?: boolean): SourcedEvent[];
  /** Durations of raw events with ts in `range`, per group. */
  rawDurations(range: TimeRange, scope: Scope, groupBy: GroupBy): Map<string, number[]>;
  /**
   * minute_stats summed per (group, bucket) with bucket = minute − minute mod stepMs. The groups named in `keep`
   * get their own rows; all others are summed into group null, so one scan gives both the named groups' series
   * and (summing every row of a bucket) the overall one.
   */
  seriesTotals(range: TimeRange, stepMs: number, scope: Scope, groupBy: GroupBy, keep: readonly string[]): BucketTotals[];
  /** hour_hist merged per (group, bucket), grouped like seriesTotals: group -> bucket start -> histogram. */
  seriesHistograms(range: TimeRange, stepMs: number, scope: Scope, groupBy: GroupBy, keep: readonly string[]): Map<string | null, Map<number, Buckets>>;
  /** The same from the raw events' durations in `range` (buckets finer than an hour), read without building events. */
  rawSeriesHistograms(range: TimeRange, stepMs: number, scope: Scope, groupBy: GroupBy, keep: readonly string[]): Map<string | null, Map<number, Buckets>>;
  /** Minutes in `range` that hold at least one event, ascending. */
  activeMinutes(range: TimeRange, scope: Scope): number[];
  /** When the store last committed a file's batch (epoch ms, the writer's clock); null when unknown (stdin only). */
  lastIngest(): number | null;
  /** Events stamped strictly after `ms`. */
  countAfter(ms: number, scope: Scope): number;
  /**
   * Quarantined lines of the whole store, with the events stored beside them (quarantine has no timestamps), and
   * the store's counts of names and dimension values folded past its caps (by dimension).
   */
  quarantine(): { total: number; reasons: Array<{ reason: string; count: number }>; storedEvents: number; foldedOperations: number; foldedValues: Record<string, number> };
  /** True when some minute in `range` carried a concurrency value. */
  hasConcurrency(range: TimeRange, scope: Scope): boolean;
  /** Up to `maxRows` raw events spread evenly over `range` (read through the ts index) that carry concurrency. */
  concurrencySample(range: TimeRange, scope: Scope, maxRows: number): ConcurrencySample[];
  /**
   * The `k` slowest raw events of each of `ops` in `range` (found through the per-minute maxima), all operations'
   * asked at once so that a server store can send their queries together.
   */
  slowest(range: TimeRange, scope: Scope, ops: readonly string[], k: number): RawExample[];
}

/** The concurrency sample is read in this many evenly spaced slices of the window, so it spans all of it. */
const SAMPLE_SLICES = 20;

/** The slices a concurrency sample of at most `maxRows` reads, and how many rows each may give. */
export function sampleSlices(range: TimeRange, maxRows: number): { per: number; slices: TimeRange[] } {
  const width = (range.to - range.from) / SAMPLE_SLICES;
  const slices: TimeRange[] = [];
  for (let s = 0; s < SAMPLE_SLICES; s++) {
    slices.push({ from: Math.round(range.from + s * width), to: s === SAMPLE_SLICES - 1 ? range.to : Math.round(range.from + (s + 1) * width) });
  }
  return { per: Math.ceil(maxRows / SAMPLE_SLICES), slices };
}

/**
 * A range's whole steps (hours, days) and the parts outside them (rows are matched by their own time key, so a
 * minute row in [from, to) lies either in the whole hours or in the edges, an hour row either in the whole days or
 * in the edges). No whole step: all of the range is edge.
 */
export function wholeSplit(range: TimeRange, step: number): { whole: TimeRange | null; edges: TimeRange[] } {
  const from = ceilTo(range.from, step);
  const to = floorTo(range.to, step);
  if (from >= to) return { whole: null, edges: range.from < range.to ? [range] : [] };
  return { whole: { from, to }, edges: [{ from: range.from, to: from }, { from: to, to: range.to }].filter((r) => r.from < r.to) };
}
