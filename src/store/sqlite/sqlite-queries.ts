import type { ErrorGroupRow, Gauge } from '../../aggregate/rollup-rows.js';
import type { SourcedEvent } from '../../core/op-event.js';
import { mergeInto, type Buckets } from '../../aggregate/sketch.js';
import type { Db } from './open-store.js';
import {
  wholeSplit, type BucketTotals, type ConcurrencySample, type GroupBy, type MinuteTotals, type RawExample, type Scope, type StoreQueries, type TimeRange,
} from '../queries.js';
import { ChunkReader, rawPrunedBefore } from './raw-events.js';
import { concurrencySample, rawDurations, rawEvents, rawFailures, rawSeriesHistograms, rawSpan, slowestIn } from './raw-queries.js';
import { ceilTo, DAY_MS, floorTo, HOUR_MS, MINUTE_MS } from '../../core/time.js';
import { STAT_COLUMNS } from './hour-stats.js';
import { FOLDED_VALUES } from '../batch-writer.js';
import { FIVE_MINUTES, type FiveMinuteHistogram } from './five-min-hist.js';


export function sqliteQueries(db: Db): StoreQueries {
  return new SqliteQueries(db);
}

type Row = Record<string, number | string | null>;

/**
 * StoreQueries over the SQLite schema of migrations.ts. Names are mapped to ids once (and again when a writer
 * adds one meanwhile); scope filters are integer literals built from those ids, so no text reaches SQL.
 */
class SqliteQueries implements StoreQueries {
  private readonly names = { op: new Map<number, string>(), source: new Map<number, string>() };
  private readonly ids = { op: new Map<string, number>(), source: new Map<string, number>() };
  private readonly raw: ChunkReader;

  constructor(private readonly db: Db) {
    this.raw = new ChunkReader(db);
    this.loadNames();
  }

  operations(): string[] {
    return [...this.ids.op.keys()].sort();
  }

  sources(): string[] {
    return [...this.ids.source.keys()].sort();
  }

  rawPrunedBefore(): number | null {
    return rawPrunedBefore(this.db);
  }

  extent(): TimeRange | null {
    // Two queries: SQLite reads a lone min() or max() off the end of the primary key, but scans for both at once.
    const lo = this.db.prepare('SELECT min(minute) FROM minute_stats').pluck().get() as number | null;
    const hi = this.db.prepare('SELECT max(minute) FROM minute_stats').pluck().get() as number | null;
    return lo === null || hi === null ? null : { from: lo, to: hi + MINUTE_MS };
  }

  firstLastEvent(range: TimeRange, scope: Scope): { first: number; last: number } | null {
    const where = `minute >= ? AND minute < ?${this.scopeSql(scope)}`;
    const lo = this.db.prepare(`SELECT min(minute) FROM minute_stats WHERE ${where}`).pluck().get(floorTo(range.from, MINUTE_MS), range.to) as number | null;
    const hi = this.db.prepare(`SELECT max(minute) FROM minute_stats WHERE ${where}`).pluck().get(floorTo(range.from, MINUTE_MS), range.to) as number | null;
    if (lo === null || hi === null) return null;
    // The exact instants are in the first and last minute's raw events, when those are still stored.
    const head = rawSpan(this.raw, { from: Math.max(range.from, lo), to: Math.min(range.to, lo + MINUTE_MS) }, scope);
    const tail = rawSpan(this.raw, { from: Math.max(range.from, hi), to: Math.min(range.to, hi + MINUTE_MS) }, scope);
    return { first: head.first ?? Math.max(range.from, lo), last: tail.last ?? hi };
  }

  sourcesIn(range: TimeRange, scope: Scope): string[] {
    const rows = this.statRows(range, scope, true);
    const ids = this.db.prepare(`SELECT DISTINCT source_id FROM (${rows.sql})`).pluck().all(rows.params) as number[];
    return ids.map((id) => this.name('source', id)).sort();
  }

  minuteTotals(range: TimeRange, scope: Scope, groupBy: GroupBy): MinuteTotals[] {
    const g = groupColumn(groupBy);
    const stats = this.statRows(range, scope, true);
    const rows = this.db.prepare(`SELECT ${g} AS g, sum(count) AS count, sum(ok_count) AS ok, sum(error_count) AS err,
        sum(timeout_count) AS tmo, sum(dur_count) AS dn, sum(dur_sum) AS ds, min(dur_min) AS dmin, max(dur_max) AS dmax,
        sum(retries_sum) AS rs, sum(retried_count) AS rc, max(mem_max) AS mmax, sum(mem_sum) AS msum, sum(mem_n) AS mn,
        max(cpu_max) AS cmax, sum(cpu_sum) AS csum, sum(cpu_n) AS cn, max(conc_max) AS kmax, sum(conc_sum) AS ksum,
        sum(conc_n) AS kn
      FROM (${stats.sql}) GROUP BY g`).all(stats.params) as Row[];
    const peakOf = this.groupPeaks(range, scope, groupBy);
    return rows.map((r) => {
      const peak = peakOf.get(r.g as number);
      return {
        group: this.groupName(groupBy, r.g),
        count: num(r.count), okCount: num(r.ok), errorCount: num(r.err), timeoutCount: num(r.tmo),
        durCount: num(r.dn), durSum: num(r.ds), durMin: (r.dmin as number | null) ?? Infinity, durMax: (r.dmax as number | null) ?? -Infinity,
        retriesSum: num(r.rs), retriedCount: num(r.rc),
        memory: gauge(r.mmax, r.msum, r.mn), cpu: gauge(r.cmax, r.csum, r.cn), concurrency: gauge(r.kmax, r.ksum, r.kn),
        peakCount: peak ? peak.count : 0, peakMinute: peak ? peak.minute : null,
      };
    });
  }

  peakMinute(range: TimeRange, scope: Scope): { minute: number; count: number } | null {
    if (everything(scope)) {
      const top = this.db.prepare('SELECT minute, count FROM minute_totals WHERE minute >= ? AND minute < ? ORDER BY count DESC, minute LIMIT 1')
        .get(range.from, range.to) as { minute: number; count: number } | undefined;
      return top ?? null;
    }
    const r = this.db.prepare(`SELECT minute, max(c) AS c FROM (SELECT minute, sum(count) AS c FROM minute_stats
      WHERE minute >= ? AND minute < ?${this.scopeSql(scope)} GROUP BY minute)`).get(range.from, range.to) as { minute: number | null; c: number | null };
    return r.minute === null || r.c === null ? null : { minute: r.minute, count: r.c };
  }

  hourHistograms(range: TimeRange, scope: Scope, groupBy: GroupBy): Map<string, Buckets> {
    const out = new Map<string, Buckets>();
    this.eachHistogram(range, scope, groupBy, true, (gid, _t, buckets, counts) => {
      const name = this.groupName(groupBy, gid);
      let b = out.get(name);
      if (!b) out.set(name, (b = new Map()));
      for (let i = 0; i < buckets.length; i++) mergeInto(b, buckets[i], counts[i]);
    });
    return out;
  }

  errorGroups(range: TimeRange, ops: readonly string[] | null): ErrorGroupRow[] {
    const rows = this.db.prepare(`SELECT op_id, category, fingerprint, sum(count) AS count, min(first_seen) AS first_seen,
        max(last_seen) AS last_seen, example, code, min(hour) AS hour
      FROM error_groups WHERE hour >= ? AND hour < ?${this.scopeSql({ ops, source: null })}
      GROUP BY op_id, category, fingerprint`).all(range.from, range.to) as Row[];
    return rows.map((r) => ({
      hour: r.hour as number, op: this.name('op', r.op_id as number), category: r.category as string,
      fingerprint: r.fingerprint as string, count: r.count as number, firstSeen: r.first_seen as number,
      lastSeen: r.last_seen as number, example: r.example as string, code: r.code as string | null,
    }));
  }

  rawEvents(range: TimeRange, scope: Scope, failuresOnly = false): SourcedEvent[] {
    return failuresOnly ? rawFailures(this.raw, range, scope) : rawEvents(this.raw, range, scope);
  }

  rawDurations(range: TimeRange, scope: Scope, groupBy: GroupBy): Map<string, number[]> {
    return rawDurations(this.raw, range, scope, groupBy);
  }

  seriesTotals(range: TimeRange, stepMs: number, scope: Scope, groupBy: GroupBy, keep: readonly string[]): BucketTotals[] {
    const step = Math.trunc(stepMs);
    // Hour rows fall into the same bucket as their minutes when a bucket is whole hours.
    const stats = this.statRows(range, scope, step % HOUR_MS === 0);
    const rows = this.db.prepare(`SELECT ${this.keptGroup(groupBy, keep)} AS g, at - at % ${step} AS t, sum(count) AS count,
        sum(error_count) AS err, sum(timeout_count) AS tmo, sum(retries_sum) AS rs, sum(dur_count) AS dn, sum(dur_sum) AS ds, min(dur_min) AS dmin, max(dur_max) AS dmax,
        max(mem_max) AS mmax, max(conc_max) AS kmax
      FROM (${stats.sql}) GROUP BY g, t ORDER BY t`).all(stats.params) as Row[];
    return rows.map((r) => ({
      group: r.g === -1 ? null : this.name(groupBy, r.g as number), t: r.t as number, count: num(r.count), errorCount: num(r.err),
      timeoutCount: num(r.tmo), retriesSum: num(r.rs), durCount: num(r.dn), durSum: num(r.ds), durMin: r.dmin as number | null, durMax: r.dmax as number | null,
      memMax: r.mmax as number | null, concMax: r.kmax as number | null,
    }));
  }

  seriesHistograms(range: TimeRange, stepMs: number, scope: Scope, groupBy: GroupBy, keep: readonly string[]): Map<string | null, Map<number, Buckets>> {
    const step = Math.trunc(stepMs);
    const out = new Map<string | null, Map<number, Buckets>>();
    // A day's row falls into the same bucket as its hours when a bucket is whole days (and `t − t mod step` floors,
    // which it does from 1970 on).
    const days = step % DAY_MS === 0 && range.from >= 0;
    this.eachHistogram(range, scope, groupBy, days, this.seriesAdder(out, step, groupBy, keep));
    return out;
  }

  rawSeriesHistograms(range: TimeRange, stepMs: number, scope: Scope, groupBy: GroupBy, keep: readonly string[]): Map<string | null, Map<number, Buckets>> {
    const out = new Map<string | null, Map<number, Buckets>>();
    // The whole 5-minute buckets of the range come from five_min_hist when a series bucket is whole 5-minute buckets
    // (and `t − t mod step` floors, which it does from 1970 on); only the edges are bucketed from the raw events.
    const split = stepMs % FIVE_MINUTES === 0 && range.from >= 0 ? wholeSplit(range, FIVE_MINUTES) : { whole: null, edges: [range] };
    if (split.whole) this.eachFiveMinuteHistogram(split.whole, scope, groupBy, this.seriesAdder(out, stepMs, groupBy, keep));
    for (const r of split.edges) rawSeriesHistograms(this.raw, r, stepMs, scope, groupBy, keep, out);
    return out;
  }

  activeMinutes(range: TimeRange, scope: Scope): number[] {
    if (everything(scope)) return this.db.prepare('SELECT minute FROM minute_totals WHERE minute >= ? AND minute < ? ORDER BY minute').pluck().all(range.from, range.to) as number[];
    return this.db.prepare(`SELECT DISTINCT minute FROM minute_stats WHERE minute >= ? AND minute < ?${this.scopeSql(scope)} ORDER BY minute`).pluck().all(range.from, range.to) as number[];
  }

  lastIngest(): number | null {
    return (this.db.prepare('SELECT max(updated_at) FROM files').pluck().get() as number | null) ?? null;
  }

  countAfter(ms: number, scope: Scope): number {
    const next = floorTo(ms, MINUTE_MS) + MINUTE_MS;
    const later = this.db.prepare(`SELECT coalesce(sum(count), 0) FROM minute_stats WHERE minute >= ?${this.scopeSql(scope)}`).pluck().get(next) as number;
    return later + rawSpan(this.raw, { from: ms + 1, to: next }, scope).count;
  }

  quarantine(): { total: number; reasons: Array<{ reason: string; count: number }>; storedEvents: number; foldedOperations: number; foldedValues: Record<string, number> } {
    const reasons = this.db.prepare('SELECT reason, count(*) AS count FROM quarantine GROUP BY reason ORDER BY count DESC, reason').all() as Array<{ reason: string; count: number }>;
    const storedEvents = this.db.prepare('SELECT coalesce(sum(count), 0) FROM hour_stats').pluck().get() as number;
    const folded = this.db.prepare("SELECT value FROM meta WHERE key = 'folded_ops'").pluck().get() as string | undefined;
    const values = this.db.prepare("SELECT key, value FROM meta WHERE key LIKE 'folded_values:%' ORDER BY key").all() as Array<{ key: string; value: string }>;
    const foldedValues = Object.fromEntries(values.map((r) => [r.key.slice(FOLDED_VALUES.length), Number(r.value)]));
    return { total: reasons.reduce((s, r) => s + r.count, 0), reasons, storedEvents, foldedOperations: Number(folded ?? 0), foldedValues };
  }

  hasConcurrency(range: TimeRange, scope: Scope): boolean {
    return this.db.prepare(`SELECT 1 FROM minute_stats WHERE minute >= ? AND minute < ? AND conc_n > 0${this.scopeSql(scope)} LIMIT 1`).get(floorTo(range.from, MINUTE_MS), range.to) !== undefined;
  }

  concurrencySample(range: TimeRange, scope: Scope, maxRows: number): ConcurrencySample[] {
    return concurrencySample(this.raw, range, scope, maxRows);
  }

  slowest(range: TimeRange, scope: Scope, ops: readonly string[], k: number): RawExample[] {
    return ops.flatMap((op) => this.slowestOf(range, scope, op, k));
  }

  private slowestOf(range: TimeRange, scope: Scope, op: string, k: number): RawExample[] {
    if (!this.ids.op.has(op)) return [];
    // Only the minutes that can hold the k slowest events are read raw: the whole minutes whose maximum reaches the
    // k-th largest maximum of the whole minutes inside the window (those are k events in the window, so every one of
    // the k slowest is at least as slow), and the partial minutes at its edges. The k largest maxima lie in the
    // hours (and edge minutes) whose maxima reach the k-th largest of theirs, so only those are read per minute.
    const inner = { from: ceilTo(range.from, MINUTE_MS), to: floorTo(range.to, MINUTE_MS) };
    const only = this.scopeSql({ ops: [op], source: scope.source });
    const split = wholeSplit(inner, HOUR_MS);
    const units = [
      ...(split.whole ? this.maxima('hour_stats', 'hour', split.whole, only, HOUR_MS) : []),
      ...split.edges.flatMap((r) => this.maxima('minute_stats', 'minute', r, only, MINUTE_MS)),
    ];
    const unitFloor = kthLargest(units.map((u) => u.max), k) ?? -Infinity;
    const minutes = coalesce(units.filter((u) => u.max >= unitFloor)).flatMap((r) => this.maxima('minute_stats', 'minute', r, only, MINUTE_MS));
    const kth = kthLargest(minutes.map((m) => m.max), k);
    if (kth === null) return slowestIn(this.raw, [range], scope, op, k);
    const edges = [{ from: range.from, to: inner.from }, { from: inner.to, to: range.to }].filter((r) => r.from < r.to);
    return slowestIn(this.raw, [...minutes.filter((m) => m.max >= kth), ...edges], scope, op, k);
  }

  /** The largest dur_max of each minute or hour of `range` that has one, as that minute's or hour's range. */
  private maxima(table: string, time: string, range: TimeRange, only: string, step: number): Array<TimeRange & { max: number }> {
    const rows = this.db.prepare(`SELECT ${time}, max(dur_max) FROM ${table} WHERE ${time} >= ? AND ${time} < ?
      AND dur_max IS NOT NULL${only} GROUP BY ${time}`).raw().all(range.from, range.to) as Array<[number, number]>;
    return rows.map(([t, max]) => ({ from: t, to: t + step, max }));
  }

  /**
   * Each group's busiest minute in `range` (the earliest of equally busy ones). A whole hour in which the group
   * has one (op, source) row gives its busiest minute from hour_stats; an hour where several rows add up is read
   * per minute only when the sum of their peaks could reach the busiest minute found elsewhere.
   */
  private groupPeaks(range: TimeRange, scope: Scope, groupBy: GroupBy): Map<number, { count: number; minute: number }> {
    const g = groupColumn(groupBy);
    const peaks = new Map<number, { count: number; minute: number }>();
    const note = (gid: number, count: number, minute: number) => {
      const p = peaks.get(gid);
      if (!p) peaks.set(gid, { count, minute });
      else if (count > p.count || (count === p.count && minute < p.minute)) Object.assign(p, { count, minute });
    };
    const perMinute = this.db.prepare(`SELECT ${g}, minute, sum(count) FROM minute_stats WHERE minute >= ? AND minute < ?${this.scopeSql(scope)}
      GROUP BY minute, ${g}`).raw();
    const readMinutes = (r: TimeRange) => {
      for (const [gid, minute, count] of perMinute.iterate(r.from, r.to) as Iterable<[number, number, number]>) note(gid, count, minute);
    };
    const split = wholeSplit(range, HOUR_MS);
    split.edges.forEach(readMinutes);
    if (!split.whole) return peaks;
    const hours = this.db.prepare(`SELECT ${g}, hour, sum(peak_count), count(*), min(peak_minute) FROM hour_stats
      WHERE hour >= ? AND hour < ?${this.scopeSql(scope)} GROUP BY hour, ${g}`).raw().all(split.whole.from, split.whole.to) as Array<[number, number, number, number, number]>;
    for (const [gid, , count, rows, minute] of hours) if (rows === 1) note(gid, count, minute);
    const open = hours.filter(([gid, , bound, rows]) => rows > 1 && bound >= (peaks.get(gid)?.count ?? 0));
    coalesce(open.map(([, hour]) => ({ from: hour, to: hour + HOUR_MS }))).forEach(readMinutes);
    return peaks;
  }

  /**
   * Every histogram of the hour_hist rows whose hour is in `range` (one per hour, operation and source), its
   * buckets and counts as two arrays, with its time. With `days`, the range's whole UTC days come from day_hist
   * instead (one histogram per day, operation and source, timed at the day) and only the hours at its edges from
   * hour_hist. Grouped in the primary key's order, so SQLite streams them without sorting, and merged by the
   * caller: a GROUP BY on the group and bucket sorts every row and costs several times as much.
   */
  private eachHistogram(range: TimeRange, scope: Scope, groupBy: GroupBy, days: boolean, each: (gid: number, at: number, buckets: number[], counts: number[]) => void): void {
    const g = groupColumn(groupBy);
    const split = days ? wholeSplit(range, DAY_MS) : { whole: null, edges: [range] };
    if (split.whole) this.eachHistogramRow(`SELECT ${g}, day, buckets, counts FROM day_hist WHERE day >= ? AND day < ?${this.scopeSql(scope)}`, split.whole, each);
    for (const r of split.edges) {
      this.eachHistogramRow(`SELECT ${g}, hour, json_group_array(bucket), json_group_array(n) FROM hour_hist
        WHERE hour >= ? AND hour < ?${this.scopeSql(scope)} GROUP BY hour, op_id, source_id`, r, each);
    }
  }

  /** Each row of `sql` (group id, time, buckets and counts as JSON arrays) over `r`, parsed. */
  private eachHistogramRow(sql: string, r: TimeRange, each: (gid: number, at: number, buckets: number[], counts: number[]) => void): void {
    const rows = this.db.prepare(sql).raw().iterate(r.from, r.to) as Iterable<[number, number, string, string]>;
    for (const [gid, at, buckets, counts] of rows) each(gid, at, JSON.parse(buckets) as number[], JSON.parse(counts) as number[]);
  }

  /** Every five_min_hist histogram whose start is in `range` and in scope (the rows are batches': summed by the caller). */
  private eachFiveMinuteHistogram(range: TimeRange, scope: Scope, groupBy: GroupBy, each: (gid: number, at: number, buckets: number[], counts: number[]) => void): void {
    const ops = scope.ops && new Set(scope.ops.map((n) => this.ids.op.get(n)));
    const source = scope.source === null ? null : (this.ids.source.get(scope.source) ?? -1);
    const rows = this.db.prepare('SELECT hists FROM five_min_hist WHERE last_start >= ? AND first_start < ?').pluck().iterate(range.from, range.to) as Iterable<string>;
    for (const hists of rows) {
      for (const [t, op, src, buckets, counts] of JSON.parse(hists) as FiveMinuteHistogram[]) {
        if (t < range.from || t >= range.to || (ops && !ops.has(op)) || (source !== null && src !== source)) continue;
        each(groupBy === 'op' ? op : src, t, buckets, counts);
      }
    }
  }

  /** Merges histogram rows into `out` per (kept group or null for the rest, bucket start of `step`). */
  private seriesAdder(out: Map<string | null, Map<number, Buckets>>, step: number, groupBy: GroupBy, keep: readonly string[]) {
    const kept = new Set(keep);
    return (gid: number, at: number, buckets: number[], counts: number[]) => {
      const name = this.name(groupBy, gid);
      const g = kept.has(name) ? name : null;
      const t = at - (at % step);
      let byT = out.get(g);
      if (!byT) out.set(g, (byT = new Map()));
      let b = byT.get(t);
      if (!b) byT.set(t, (b = new Map()));
      for (let i = 0; i < buckets.length; i++) mergeInto(b, buckets[i], counts[i]);
    };
  }

  /**
   * The minute_stats rows of `range` as one subquery, each row's time as `at`: with `hours`, the whole hours come
   * from hour_stats instead (one row for up to sixty), and only the minutes at the range's edges from minute_stats.
   */
  private statRows(range: TimeRange, scope: Scope, hours: boolean): { sql: string; params: number[] } {
    const split = hours ? wholeSplit(range, HOUR_MS) : { whole: null, edges: [range] };
    const columns = `op_id, source_id, ${STAT_COLUMNS}`;
    const parts = split.edges.map((r) => ({ sql: `SELECT minute AS at, ${columns} FROM minute_stats WHERE minute >= ? AND minute < ?`, r }));
    if (split.whole) parts.push({ sql: `SELECT hour AS at, ${columns} FROM hour_stats WHERE hour >= ? AND hour < ?`, r: split.whole });
    const scoped = this.scopeSql(scope);
    return { sql: parts.map((p) => p.sql + scoped).join(' UNION ALL '), params: parts.flatMap((p) => [p.r.from, p.r.to]) };
  }

  private scopeSql(scope: Scope): string {
    let sql = '';
    if (scope.ops) sql += ` AND op_id IN (${idList(scope.ops.map((n) => this.ids.op.get(n)))})`;
    if (scope.source !== null) sql += ` AND source_id = ${this.ids.source.get(scope.source) ?? -1}`;
    return sql;
  }

  /** The group column, with every group not in `keep` folded into −1. */
  private keptGroup(groupBy: GroupBy, keep: readonly string[]): string {
    return `CASE WHEN ${groupBy}_id IN (${idList(keep.map((n) => this.ids[groupBy].get(n)))}) THEN ${groupBy}_id ELSE -1 END`;
  }

  private groupName(groupBy: GroupBy, id: unknown): string {
    return this.name(groupBy, id as number);
  }

  private name(kind: 'op' | 'source', id: number): string {
    let n = this.names[kind].get(id);
    if (n === undefined) {
      // A concurrent ingest added a name after this object was built.
      this.loadNames();
      n = this.names[kind].get(id) ?? `#${id}`;
    }
    return n;
  }

  private loadNames(): void {
    for (const kind of ['op', 'source'] as const) {
      const table = kind === 'op' ? 'ops' : 'sources';
      for (const { id, name } of this.db.prepare(`SELECT id, name FROM ${table}`).all() as Array<{ id: number; name: string }>) {
        this.names[kind].set(id, name);
        this.ids[kind].set(name, id);
      }
    }
  }
}

/** No filter: minute_totals holds the sums over every operation and source. */
function everything(scope: Scope): boolean {
  return scope.ops === null && scope.source === null;
}

function groupColumn(groupBy: GroupBy): string {
  return `${groupBy}_id`;
}

/** Unknown names become -1, which matches nothing, so an empty or stale list never widens the filter. */
function idList(ids: Array<number | undefined>): string {
  const known = ids.filter((x): x is number => x !== undefined);
  return known.length ? known.join(',') : '-1';
}

/** Adjacent or overlapping ranges joined, in ascending order. */
function coalesce(ranges: TimeRange[]): TimeRange[] {
  const out: TimeRange[] = [];
  for (const r of [...ranges].sort((a, b) => a.from - b.from)) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else out.push({ from: r.from, to: r.to });
  }
  return out;
}

/** The k-th largest value, or null when there are fewer than k. */
function kthLargest(values: number[], k: number): number | null {
  return values.length < k ? null : [...values].sort((a, b) => b - a)[k - 1];
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

function gauge(max: unknown, sum: unknown, n: unknown): Gauge {
  return { max: typeof max === 'number' ? max : -Infinity, sum: num(sum), n: num(n) };
}
