import type { ErrorGroupRow, Gauge } from '../../aggregate/rollup-rows.js';
import { bucketOf, mergeInto, type Buckets } from '../../aggregate/sketch.js';
import type { Attrs, SourcedEvent } from '../../core/op-event.js';
import {
  sampleSlices, wholeSplit, type BucketTotals, type ConcurrencySample, type GroupBy, type MinuteTotals, type RawExample, type Scope,
  type StoreQueries, type TimeRange,
} from '../queries.js';
import { sqlString } from './sql-string.js';
import { counted, countedWhere, unrolledPart } from './counted-rows.js';
import type { SyncQueries } from './sync-queries.js';
import { ceilTo, floorTo, HOUR_MS, MINUTE_MS } from '../../core/time.js';
import { STAT_COLUMNS } from './schema.js';
import { FOLDED_VALUES } from '../batch-writer.js';


type Row = Record<string, number | string | null>;

/**
 * StoreQueries over the fleet schema (schema.ts). Each answer equals the SQLite store's for the same events: rows of
 * different batches merge by the same sums, minima and maxima, ties are broken the same way (earliest minute,
 * slowest then earliest event), and only rows of attempts that count are read (shipment-writer.ts).
 */
export class ClickHouseQueries implements StoreQueries {
  private names: { op: string[]; source: string[] } | null = null;

  constructor(
    private readonly sql: SyncQueries,
    private readonly database: string,
  ) {}

  operations(): string[] {
    return this.loadNames().op;
  }

  sources(): string[] {
    return this.loadNames().source;
  }

  /**
   * Raw events are complete from the latest of: where `oplens prune` cut the fleet's raw events, and where a store
   * pruned before its first shipment started shipping raw events (its older hours shipped as rollups only).
   */
  rawPrunedBefore(): number | null {
    const [[r], [p]] = this.rowsAll([
      `SELECT max(raw_from) AS t, count() AS n FROM ${this.database}.shipments WHERE state = 'done' AND raw_from IS NOT NULL`,
      `SELECT max(before) AS t, count() AS n FROM ${this.database}.raw_pruned`,
    ]);
    const marks = [r, p].filter((x) => x && x.n).map((x) => num(x.t));
    return marks.length ? Math.max(...marks) : null;
  }

  extent(): TimeRange | null {
    const [r] = this.rows(`SELECT min(minute) AS lo, max(minute) AS hi, count() AS n FROM ${this.counted('minute_stats')}`);
    return !r || !r.n ? null : { from: num(r.lo), to: num(r.hi) + MINUTE_MS };
  }

  firstLastEvent(range: TimeRange, scope: Scope): { first: number; last: number } | null {
    const [r] = this.rows(`SELECT min(minute) AS lo, max(minute) AS hi, count() AS n FROM ${this.counted('minute_stats')}
      AND minute >= ${int(floorTo(range.from, MINUTE_MS))} AND minute < ${int(range.to)}${this.scopeSql(scope)}`);
    if (!r || !r.n) return null;
    const lo = num(r.lo);
    const hi = num(r.hi);
    // As the SQLite store: the exact instants are in the first and last minute's raw events.
    const [head, tail] = this.rawSpans([
      { from: Math.max(range.from, lo), to: Math.min(range.to, lo + MINUTE_MS) },
      { from: Math.max(range.from, hi), to: Math.min(range.to, hi + MINUTE_MS) },
    ], scope);
    return { first: head.first ?? Math.max(range.from, lo), last: tail.last ?? hi };
  }

  sourcesIn(range: TimeRange, scope: Scope): string[] {
    return this.rows(`SELECT DISTINCT source AS g FROM (${this.statRows(range, scope, true)}) ORDER BY g`).map((r) => String(r.g));
  }

  minuteTotals(range: TimeRange, scope: Scope, groupBy: GroupBy): MinuteTotals[] {
    const [rows, peaks] = this.rowsAll([
      `SELECT ${groupBy} AS g, sum(count) AS cnt, sum(ok_count) AS ok, sum(error_count) AS err,
        sum(timeout_count) AS tmo, sum(dur_count) AS dn, sum(dur_sum) AS ds, min(dur_min) AS dmin, max(dur_max) AS dmax,
        sum(retries_sum) AS rs, sum(retried_count) AS rc, max(mem_max) AS mmax, sum(mem_sum) AS msum, sum(mem_n) AS mn,
        max(cpu_max) AS cmax, sum(cpu_sum) AS csum, sum(cpu_n) AS cn, max(conc_max) AS kmax, sum(conc_sum) AS ksum,
        sum(conc_n) AS kn
      FROM (${this.statRows(range, scope, true)}) GROUP BY g`,
      this.groupPeaksSql(range, scope, groupBy),
    ]);
    const peakOf = new Map(peaks.map((p) => [String(p.g), { count: num(p.peak_count), minute: num(p.peak_minute) }]));
    return rows.map((r) => {
      const peak = peakOf.get(String(r.g));
      return {
        group: String(r.g),
        count: num(r.cnt), okCount: num(r.ok), errorCount: num(r.err), timeoutCount: num(r.tmo),
        durCount: num(r.dn), durSum: num(r.ds), durMin: (r.dmin as number | null) ?? Infinity, durMax: (r.dmax as number | null) ?? -Infinity,
        retriesSum: num(r.rs), retriedCount: num(r.rc),
        memory: gauge(r.mmax, r.msum, r.mn), cpu: gauge(r.cmax, r.csum, r.cn), concurrency: gauge(r.kmax, r.ksum, r.kn),
        peakCount: peak ? peak.count : 0, peakMinute: peak ? peak.minute : null,
      };
    });
  }

  /**
   * Each group's busiest minute (the earliest of equally busy ones; g, peak_minute, peak_count). A whole hour in
   * which the group has one row (one batch of one host) gives its busiest minute from that row; the minutes of the
   * hours where several rows add up, and of the range's edges, are read per minute. One query: the rows per hour
   * are counted over the whole cluster (GLOBAL IN) before a shard picks its minutes.
   */
  private groupPeaksSql(range: TimeRange, scope: Scope, groupBy: GroupBy): string {
    const { whole: hours } = wholeSplit(range, HOUR_MS);
    const scoped = this.scopeSql(scope);
    const perHour = hours && `SELECT ${groupBy} AS g, at AS hr, sum(peak_count) AS pc, count() AS n, min(peak_minute) AS pm
      FROM (${this.hourRows(hours, scope, PEAK_COLUMNS)}) GROUP BY g, hr`;
    const minutes = hours
      ? ` AND (minute < ${int(hours.from)} OR minute >= ${int(hours.to)} OR (${groupBy}, toInt64(minute - minute % ${HOUR_MS})) GLOBAL IN (SELECT g, hr FROM (${perHour}) WHERE n > 1))`
      : '';
    const perMinute = `SELECT ${groupBy} AS g, minute AS t, sum(count) AS c FROM ${this.counted('minute_stats')}${this.minutes(range)}${scoped}${minutes} GROUP BY g, t`;
    const candidates = hours ? `SELECT g, pm AS t, pc AS c FROM (${perHour}) WHERE n = 1 UNION ALL ${perMinute}` : perMinute;
    return `SELECT g, argMax(t, (c, -t)) AS peak_minute, max(c) AS peak_count FROM (${candidates}) GROUP BY g`;
  }

  peakMinute(range: TimeRange, scope: Scope): { minute: number; count: number } | null {
    const [r] = this.rows(`SELECT minute, sum(count) AS c FROM ${this.counted('minute_stats')}${this.minutes(range)}${this.scopeSql(scope)}
      GROUP BY minute ORDER BY c DESC, minute LIMIT 1`);
    return r ? { minute: num(r.minute), count: num(r.c) } : null;
  }

  hourHistograms(range: TimeRange, scope: Scope, groupBy: GroupBy): Map<string, Buckets> {
    const rows = this.rows(`SELECT ${groupBy} AS g, bucket, sum(n) AS cnt FROM ${this.counted('hour_hist')}${this.hours(range)}${this.scopeSql(scope)}
      GROUP BY g, bucket`);
    const out = new Map<string, Buckets>();
    for (const r of rows) {
      const g = String(r.g);
      let b = out.get(g);
      if (!b) out.set(g, (b = new Map()));
      b.set(num(r.bucket), num(r.cnt));
    }
    return out;
  }

  errorGroups(range: TimeRange, ops: readonly string[] | null): ErrorGroupRow[] {
    // The example and code of a group are those of its earliest row.
    const rows = this.rows(`SELECT op, category, fingerprint, sum(count) AS cnt, min(first_seen) AS first, max(last_seen) AS last,
        argMin(example, (hour, first_seen)) AS ex, argMin(code, (hour, first_seen)) AS cd, min(hour) AS hr
      FROM ${this.counted('error_groups')}${this.hours(range)}${this.scopeSql({ ops, source: null })}
      GROUP BY op, category, fingerprint`);
    return rows.map((r) => ({
      hour: num(r.hr), op: String(r.op), category: String(r.category), fingerprint: String(r.fingerprint), count: num(r.cnt),
      firstSeen: num(r.first), lastSeen: num(r.last), example: String(r.ex), code: r.cd === null ? null : String(r.cd),
    }));
  }

  rawEvents(range: TimeRange, scope: Scope, failuresOnly = false): SourcedEvent[] {
    const rows = this.rows(`SELECT op, source, ts, duration, ok, concurrency, memory_mb, cpu_percent, retries, error_category, error_code, error_message,
        dim_keys, dim_values FROM ${this.eventsIn(range)}${this.scopeSql(scope)}${failuresOnly ? ' AND ok = 0' : ''} ORDER BY ts, op, source`);
    return rows.map((r) => {
      const e: SourcedEvent = { ts: num(r.ts), op: String(r.op), source: String(r.source), durationMs: r.duration as number | null, ok: r.ok === 1 };
      let attrs: Attrs | undefined;
      if (r.concurrency !== null) (attrs ??= {}).concurrency = num(r.concurrency);
      if (r.memory_mb !== null) (attrs ??= {}).memoryMb = num(r.memory_mb);
      if (r.cpu_percent !== null) (attrs ??= {}).cpuPercent = num(r.cpu_percent);
      if (r.retries !== null) (attrs ??= {}).retries = num(r.retries);
      if (attrs) e.attrs = attrs;
      if (r.error_category !== null) e.errorCategory = String(r.error_category);
      if (r.error_code !== null) e.errorCode = String(r.error_code);
      if (r.error_message !== null) e.errorMessage = String(r.error_message);
      const keys = r.dim_keys as unknown as string[];
      if (keys.length) {
        const values = r.dim_values as unknown as string[];
        e.dims = Object.fromEntries(keys.map((k, i) => [k, values[i]]));
      }
      return e;
    });
  }

  rawDurations(range: TimeRange, scope: Scope, groupBy: GroupBy): Map<string, number[]> {
    const rows = this.rows(`SELECT ${groupBy} AS g, groupArray(duration) AS d FROM ${this.eventsIn(range)}${this.scopeSql(scope)}
      AND duration IS NOT NULL GROUP BY g`);
    return new Map(rows.map((r) => [String(r.g), r.d as unknown as number[]]));
  }

  seriesTotals(range: TimeRange, stepMs: number, scope: Scope, groupBy: GroupBy, keep: readonly string[]): BucketTotals[] {
    const step = Math.trunc(stepMs);
    const kept = `${groupBy} IN (${list(keep)})`;
    // Hour rows fall into the same bucket as their minutes when a bucket is whole hours.
    const rows = this.rows(`SELECT ${kept} AS k, if(k, ${groupBy}, '') AS g, at - at % ${int(step)} AS t, sum(count) AS cnt,
        sum(error_count) AS err, sum(timeout_count) AS tmo, sum(retries_sum) AS rs, sum(dur_count) AS dn, sum(dur_sum) AS ds,
        min(dur_min) AS dmin, max(dur_max) AS dmax, max(mem_max) AS mmax, max(conc_max) AS kmax
      FROM (${this.statRows(range, scope, step % HOUR_MS === 0)}) GROUP BY k, g, t ORDER BY t`);
    return rows.map((r) => ({
      group: r.k ? String(r.g) : null, t: num(r.t), count: num(r.cnt), errorCount: num(r.err), timeoutCount: num(r.tmo),
      retriesSum: num(r.rs), durCount: num(r.dn), durSum: num(r.ds), durMin: r.dmin as number | null, durMax: r.dmax as number | null,
      memMax: r.mmax as number | null, concMax: r.kmax as number | null,
    }));
  }

  seriesHistograms(range: TimeRange, stepMs: number, scope: Scope, groupBy: GroupBy, keep: readonly string[]): Map<string | null, Map<number, Buckets>> {
    const step = Math.trunc(stepMs);
    const rows = this.rows(`SELECT ${groupBy} IN (${list(keep)}) AS k, if(k, ${groupBy}, '') AS g, hour - hour % ${int(step)} AS t, bucket, sum(n) AS cnt
      FROM ${this.counted('hour_hist')}${this.hours(range)}${this.scopeSql(scope)} GROUP BY k, g, t, bucket`);
    const out = new Map<string | null, Map<number, Buckets>>();
    for (const r of rows) bucketsOf(out, r).set(num(r.bucket), num(r.cnt));
    return out;
  }

  rawSeriesHistograms(range: TimeRange, stepMs: number, scope: Scope, groupBy: GroupBy, keep: readonly string[]): Map<string | null, Map<number, Buckets>> {
    const step = Math.trunc(stepMs);
    // Durations come back per bucket and are mapped to histogram buckets here, by the one bucketOf.
    const rows = this.rows(`SELECT ${groupBy} IN (${list(keep)}) AS k, if(k, ${groupBy}, '') AS g, ts - ts % ${int(step)} AS t, groupArray(duration) AS d
      FROM ${this.eventsIn(range)}${this.scopeSql(scope)} AND duration IS NOT NULL GROUP BY k, g, t`);
    const out = new Map<string | null, Map<number, Buckets>>();
    for (const r of rows) {
      const b = bucketsOf(out, r);
      for (const d of r.d as unknown as number[]) mergeInto(b, bucketOf(d), 1);
    }
    return out;
  }

  activeMinutes(range: TimeRange, scope: Scope): number[] {
    return this.rows(`SELECT DISTINCT minute FROM ${this.counted('minute_stats')}${this.minutes(range)}${this.scopeSql(scope)} ORDER BY minute`).map((r) => num(r.minute));
  }

  /** The latest of the hosts' own last ingests, as they shipped them. */
  lastIngest(): number | null {
    const [r] = this.rows(`SELECT max(last_ingest) AS li, count() AS n FROM ${this.database}.shipments WHERE state = 'done' AND last_ingest IS NOT NULL`);
    return r && r.n ? num(r.li) : null;
  }

  countAfter(ms: number, scope: Scope): number {
    const next = floorTo(ms, MINUTE_MS) + MINUTE_MS;
    const [[r], raw] = this.rowsAll([
      `SELECT sum(count) AS n FROM ${this.counted('minute_stats')} AND minute >= ${int(next)}${this.scopeSql(scope)}`,
      this.rawSpanSql({ from: ms + 1, to: next }, scope),
    ]);
    return num(r?.n) + spanOf(raw[0]).count;
  }

  quarantine(): { total: number; reasons: Array<{ reason: string; count: number }>; storedEvents: number; foldedOperations: number; foldedValues: Record<string, number> } {
    const [reasonRows, [s], folded] = this.rowsAll([
      `SELECT reason, count() AS cnt FROM ${this.counted('quarantine')} GROUP BY reason ORDER BY cnt DESC, reason`,
      `SELECT sum(count) AS n FROM ${this.counted('minute_stats')}`,
      // Every folded-name counter of each host as of its latest confirmed batch.
      `SELECT argMax(folded_keys, batch) AS k, argMax(folded_counts, batch) AS c FROM ${this.database}.shipments WHERE state = 'done' GROUP BY source`,
    ]);
    const reasons = reasonRows.map((r) => ({ reason: String(r.reason), count: num(r.cnt) }));
    const counters = foldedTotals(folded);
    return {
      total: reasons.reduce((t, r) => t + r.count, 0), reasons, storedEvents: num(s?.n),
      foldedOperations: counters.get('folded_ops') ?? 0, foldedValues: foldedValues(counters),
    };
  }

  hasConcurrency(range: TimeRange, scope: Scope): boolean {
    return this.rows(`SELECT minute FROM ${this.counted('minute_stats')} AND minute >= ${int(floorTo(range.from, MINUTE_MS))} AND minute < ${int(range.to)}
      AND conc_n > 0${this.scopeSql(scope)} LIMIT 1`).length > 0;
  }

  concurrencySample(range: TimeRange, scope: Scope, maxRows: number): ConcurrencySample[] {
    // As the SQLite store: evenly spaced slices of the window, each giving at most its share, its earliest events.
    // The per-minute counts of events with a concurrency tell where in each slice its share ends, so one query
    // reads only those few minutes of every slice instead of whole slices.
    const { per, slices } = sampleSlices(range, maxRows);
    const counts = this.rows(`SELECT minute AS t, sum(conc_n) AS n FROM ${this.counted('minute_stats')}${this.minutes({ from: floorTo(range.from, MINUTE_MS), to: range.to })}
      AND conc_n > 0${this.scopeSql(scope)} GROUP BY minute ORDER BY minute`).map((r) => [num(r.t), num(r.n)] as const);
    // The slices follow one another, so one pass over the minutes places every slice's end.
    let at = 0;
    const reads = slices.map(({ from, to }) => {
      while (at < counts.length && counts[at][0] < from) at++; // the slice's partial first minute is read whole below
      for (let seen = 0; at < counts.length && counts[at][0] < to; at++) {
        seen += counts[at][1];
        if (seen >= per) return { from, to: Math.min(to, counts[at][0] + MINUTE_MS) };
      }
      return { from, to };
    });
    // One request, a narrow read per slice (an OR of the ranges would defeat the index on 18.16), put in order
    // there: only the three columns the sample keeps come back, taken column by column (no row objects between).
    const [concurrency, ok, duration] = this.columns(`SELECT concurrency, ok, duration FROM (${reads.map((r, i) => `SELECT ${i} AS sl, ts, op, source, concurrency, ok, duration
      FROM ${this.eventsIn(r)}${this.scopeSql(scope)} AND concurrency IS NOT NULL ORDER BY ts, op, source LIMIT ${int(per)}`).join(' UNION ALL ')})
      ORDER BY sl, ts, op, source`);
    return concurrency.map((c, i) => ({ concurrency: num(c), ok: ok[i] === 1, durationMs: duration[i] as number | null }));
  }

  slowest(range: TimeRange, scope: Scope, ops: readonly string[], k: number): RawExample[] {
    const only = ops.map((op) => this.scopeSql({ ops: [op], source: scope.source }));
    // Only the minutes that can hold the k slowest events are read raw: the minutes whose maximum reaches the k-th
    // largest maximum of the whole minutes inside the window (those are k events in the window, so every one of the
    // k slowest is at least as slow), and the partial minutes at the window's edges. With fewer than k such minutes
    // the smallest of their maxima is the bound, which keeps every minute that has a duration; with none, the edges
    // alone remain (a comparison with NULL holds for no minute). The bound is a subquery of the same query, and the
    // queries go out for all operations at once: one wait for the minutes, one for the events.
    const first = floorTo(range.from, MINUTE_MS);
    const inner = { from: ceilTo(range.from, MINUTE_MS), to: floorTo(range.to, MINUTE_MS) };
    const minutes = this.rowsAll(only.map((o) => `SELECT minute AS t FROM ${this.counted('minute_stats')}${this.minutes({ from: first, to: range.to })}${o}
      GROUP BY minute HAVING max(dur_max) >= (SELECT min(m) FROM (SELECT max(dur_max) AS m FROM ${this.counted('minute_stats')}${this.minutes(inner)}${o}
        AND dur_max IS NOT NULL GROUP BY minute ORDER BY m DESC LIMIT ${int(k)})) OR minute < ${int(inner.from)} OR minute >= ${int(inner.to)}`));
    // An operation narrowed to no minute has no slow events to read.
    const read = ops.map((_, i) => i).filter((i) => minutes[i].length !== 0);
    const found = this.rowsAll(read.map((i) => {
      const within = ` AND (${minutes[i].map((r) => `(ts >= ${int(num(r.t))} AND ts < ${int(num(r.t) + MINUTE_MS)})`).join(' OR ')})`;
      return `SELECT ts, op, source, duration, ok FROM ${this.eventsIn(range)}${within}${only[i]}
      AND duration IS NOT NULL ORDER BY duration DESC, ts LIMIT ${int(k)}`;
    }));
    return found.flat().map((r) => ({
      ts: num(r.ts), op: String(r.op), source: String(r.source), durationMs: num(r.duration), ok: r.ok === 1,
    }));
  }

  /** The earliest and latest raw event of each range and how many there are, read at once. */
  private rawSpans(ranges: TimeRange[], scope: Scope): RawSpan[] {
    return this.rowsAll(ranges.map((r) => this.rawSpanSql(r, scope))).map((rows) => spanOf(rows[0]));
  }

  /** An empty range reads nothing: its bounds select no rows. */
  private rawSpanSql(range: TimeRange, scope: Scope): string {
    return `SELECT min(ts) AS first, max(ts) AS last, count() AS n FROM ${this.eventsIn(range)}${this.scopeSql(scope)}`;
  }

  private loadNames(): { op: string[]; source: string[] } {
    if (!this.names) {
      const [op, source] = this.rowsAll(['op', 'source'].map((col) => `SELECT DISTINCT ${col} AS g FROM ${this.counted('minute_stats')} ORDER BY g`))
        .map((rows) => rows.map((r) => String(r.g)));
      this.names = { op, source };
    }
    return this.names;
  }

  // Aliases never repeat a column name: on ClickHouse an alias shadows the column everywhere in the query.

  /** `FROM`-part of a data table: its rows that count, so a caller appends ` AND …`. */
  private counted(table: string): string {
    return counted(this.database, table);
  }

  /**
   * The stat rows of `range` as one subquery, each row's time as `at` (then op, source and STAT_COLUMNS): with
   * `hours`, the whole hours come from hour rows (one row for up to sixty), only the minutes at the range's edges
   * from minute_stats, as the SQLite store reads them.
   */
  private statRows(range: TimeRange, scope: Scope, hours: boolean): string {
    const split = hours ? wholeSplit(range, HOUR_MS) : { whole: null, edges: [range] };
    const parts = split.edges.map((r) => `SELECT minute AS at, op, source, ${STATS} FROM ${this.counted('minute_stats')}${this.minutes(r)}${this.scopeSql(scope)}`);
    if (split.whole) parts.push(this.hourRows(split.whole, scope, STAT_NAMES));
    // An empty range: a part that selects no rows keeps the subquery's columns.
    return parts.length ? parts.join(' UNION ALL ') : `SELECT minute AS at, op, source, ${STATS} FROM ${this.counted('minute_stats')} AND 0`;
  }

  /**
   * The hour rows of the whole hours `hours` (at, op, source, then `columns`) of every attempt that counts: its
   * hour_stats rows, or for an attempt shipped before schema version 4 (its ledger rows' hour_rows = 0), the same
   * rows derived from its minute rows: each minute's rows added up first, then the minutes of each hour, the
   * busiest minute the earliest of the equally busy ones, as the shipper derives them (ship/batch-rows.ts). The
   * query worker writes those attempts in as a list, or leaves their part out when there are none (counted-rows.ts).
   */
  private hourRows(hours: TimeRange, scope: Scope, columns: readonly string[]): string {
    const scoped = this.scopeSql(scope);
    const shipped = `SELECT hour AS at, op, source, ${columns.join(', ')} FROM ${this.counted('hour_stats')}${this.hours(hours)}${scoped}`;
    // Inner aliases never repeat a column name (see below); x0 … are STAT_NAMES' values of one minute.
    const perMinute = (attempts: string) => `SELECT source, batch, attempt, op, minute, toInt64(minute - minute % ${HOUR_MS}) AS hr,
        ${STAT_NAMES.map((c, i) => `${aggregateOf(c)}(${c}) AS x${i}`).join(', ')}
      FROM ${this.counted('minute_stats')}${this.minutes(hours)}${scoped}
        AND (source, batch, attempt) IN ${attempts}
      GROUP BY source, batch, attempt, op, minute`;
    const derived = columns.map((c) => (c === 'peak_count' ? 'max(x0)' : c === 'peak_minute' ? 'argMax(minute, (x0, -minute))' : `${aggregateOf(c)}(x${STAT_NAMES.indexOf(c)})`));
    return `${shipped}${unrolledPart((attempts) => ` UNION ALL SELECT hr AS at, op, source, ${derived.join(', ')} FROM (${perMinute(attempts)}) GROUP BY source, batch, attempt, op, hr`)}`;
  }

  private minutes(r: TimeRange): string {
    return ` AND minute >= ${int(r.from)} AND minute < ${int(r.to)}`;
  }

  private hours(r: TimeRange): string {
    return ` AND hour >= ${int(r.from)} AND hour < ${int(r.to)}`;
  }

  /**
   * `FROM`-part of the raw events of a time range that count. The range is a PREWHERE: only the ts column is read
   * to find the rows, the others for those rows alone. Without it 18.16 read every column of the granules the sort
   * key cannot skip (where one batch's operation ends and the next begins): 96 MB instead of 15 MB for the
   * concurrency sample of a 10M-event week.
   */
  private eventsIn(r: TimeRange): string {
    return countedWhere(this.database, 'events', `ts >= ${int(r.from)} AND ts < ${int(r.to)}`);
  }

  private scopeSql(scope: Scope): string {
    let sql = '';
    if (scope.ops) sql += ` AND op IN (${list(scope.ops)})`;
    if (scope.source !== null) sql += ` AND source = ${sqlString(scope.source)}`;
    return sql;
  }

  private rows(sql: string): Row[] {
    return this.sql.rows<Row>(sql);
  }

  /** An answer's values column by column, in the order the query selects them. */
  private columns(sql: string): unknown[][] {
    return this.sql.call('rows', sql).columns;
  }

  /** Independent queries, sent at once. */
  private rowsAll(sqls: string[]): Row[][] {
    return this.sql.rowsAll<Row>(sqls);
  }
}

const STAT_NAMES: readonly string[] = STAT_COLUMNS.map(([name]) => name);
const STATS = STAT_NAMES.join(', ');
const PEAK_COLUMNS = ['peak_count', 'peak_minute'];

/** How rows of a stat column merge: minima by min, maxima by max, the rest by sum. */
function aggregateOf(column: string): string {
  return column.endsWith('_min') ? 'min' : column.endsWith('_max') ? 'max' : 'sum';
}

interface RawSpan {
  first: number | null;
  last: number | null;
  count: number;
}

function spanOf(r: Row | undefined): RawSpan {
  return r && num(r.n) ? { first: num(r.first), last: num(r.last), count: num(r.n) } : { first: null, last: null, count: 0 };
}

/** Every folded-name counter summed over the hosts (rows: each host's keys k and counts c). */
function foldedTotals(rows: Row[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const r of rows) {
    const keys = r.k as unknown as string[];
    const counts = r.c as unknown as number[];
    keys.forEach((key, i) => totals.set(key, (totals.get(key) ?? 0) + num(counts[i])));
  }
  return totals;
}

/** The folded-value counters per dimension (folded_values:DIM). */
function foldedValues(counters: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of [...counters].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (key.startsWith(FOLDED_VALUES)) out[key.slice(FOLDED_VALUES.length)] = n;
  }
  return out;
}

/** The histogram of a series row (k: kept group, g: its name, t: bucket start), created when new. */
function bucketsOf(out: Map<string | null, Map<number, Buckets>>, r: Row): Buckets {
  const name = r.k ? String(r.g) : null;
  let byT = out.get(name);
  if (!byT) out.set(name, (byT = new Map()));
  let b = byT.get(num(r.t));
  if (!b) byT.set(num(r.t), (b = new Map()));
  return b;
}

/** A SQL list of string literals; an empty list matches nothing (as the SQLite store's unknown ids do). */
function list(names: readonly string[]): string {
  return names.length ? names.map(sqlString).join(', ') : 'NULL';
}

function int(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite time: ${n}`);
  return String(Math.trunc(n));
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v ?? 0);
}

function gauge(max: unknown, sum: unknown, n: unknown): Gauge {
  return { max: typeof max === 'number' ? max : -Infinity, sum: num(sum), n: num(n) };
}
