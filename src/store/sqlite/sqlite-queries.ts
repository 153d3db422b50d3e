import type { ErrorGroupRow, Gauge } from '../../aggregate/rollup-rows.js';
import type { SourcedEvent } from '../../core/op-event.js';
import { mergeInto, type Buckets } from '../../aggregate/sketch.js';
import type { Db } from './open-store.js';
import type {
  BucketTotals, ConcurrencySample, GroupBy, MinuteTotals, RawExample, Scope, StoreQueries, TimeRange,
} from '../queries.js';
import { rawPrunedBefore } from './raw-events.js';
import { concurrencySample, rawDurations, rawEvents, rawFailures, rawSeriesHistograms, rawSpan, slowestIn } from './raw-queries.js';
import { MINUTE_MS } from '../../core/time.js';
import { FOLDED_VALUES } from '../batch-writer.js';


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

  constructor(private readonly db: Db) {
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
    const lo = this.db.prepare(`SELECT min(minute) FROM minute_stats WHERE ${where}`).pluck().get(floorMinute(range.from), range.to) as number | null;
    const hi = this.db.prepare(`SELECT max(minute) FROM minute_stats WHERE ${where}`).pluck().get(floorMinute(range.from), range.to) as number | null;
    if (lo === null || hi === null) return null;
    // The exact instants are in the first and last minute's raw events, when those are still stored.
    const head = rawSpan(this.db, { from: Math.max(range.from, lo), to: Math.min(range.to, lo + MINUTE_MS) }, scope);
    const tail = rawSpan(this.db, { from: Math.max(range.from, hi), to: Math.min(range.to, hi + MINUTE_MS) }, scope);
    return { first: head.first ?? Math.max(range.from, lo), last: tail.last ?? hi };
  }

  sourcesIn(range: TimeRange, scope: Scope): string[] {
    const ids = this.db.prepare(`SELECT DISTINCT source_id FROM minute_stats WHERE minute >= ? AND minute < ?${this.scopeSql(scope)}`).pluck().all(range.from, range.to) as number[];
    return ids.map((id) => this.name('source', id)).sort();
  }

  minuteTotals(range: TimeRange, scope: Scope, groupBy: GroupBy): MinuteTotals[] {
    const g = groupColumn(groupBy);
    const where = `minute >= ? AND minute < ?${this.scopeSql(scope)}`;
    const rows = this.db.prepare(`SELECT ${g} AS g, sum(count) AS count, sum(ok_count) AS ok, sum(error_count) AS err,
        sum(timeout_count) AS tmo, sum(dur_count) AS dn, sum(dur_sum) AS ds, min(dur_min) AS dmin, max(dur_max) AS dmax,
        sum(retries_sum) AS rs, sum(retried_count) AS rc, max(mem_max) AS mmax, sum(mem_sum) AS msum, sum(mem_n) AS mn,
        max(cpu_max) AS cmax, sum(cpu_sum) AS csum, sum(cpu_n) AS cn, max(conc_max) AS kmax, sum(conc_sum) AS ksum,
        sum(conc_n) AS kn
      FROM minute_stats WHERE ${where} GROUP BY g`).all(range.from, range.to) as Row[];
    // SQLite takes the bare `minute` from the row that holds max(c): the busiest minute of each group. The inner
    // GROUP BY follows the primary key's order (minute, op_id), so it needs no sort.
    const peaks = this.db.prepare(`SELECT g, minute, max(c) AS c FROM (SELECT ${g} AS g, minute, sum(count) AS c
      FROM minute_stats WHERE ${where} GROUP BY minute, g) GROUP BY g`).all(range.from, range.to) as Row[];
    const peakOf = new Map(peaks.map((p) => [p.g, p]));
    return rows.map((r) => {
      const peak = peakOf.get(r.g);
      return {
        group: this.groupName(groupBy, r.g),
        count: num(r.count), okCount: num(r.ok), errorCount: num(r.err), timeoutCount: num(r.tmo),
        durCount: num(r.dn), durSum: num(r.ds), durMin: (r.dmin as number | null) ?? Infinity, durMax: (r.dmax as number | null) ?? -Infinity,
        retriesSum: num(r.rs), retriedCount: num(r.rc),
        memory: gauge(r.mmax, r.msum, r.mn), cpu: gauge(r.cmax, r.csum, r.cn), concurrency: gauge(r.kmax, r.ksum, r.kn),
        peakCount: peak ? num(peak.c) : 0, peakMinute: peak ? (peak.minute as number) : null,
      };
    });
  }

  peakMinute(range: TimeRange, scope: Scope): { minute: number; count: number } | null {
    const r = this.db.prepare(`SELECT minute, max(c) AS c FROM (SELECT minute, sum(count) AS c FROM minute_stats
      WHERE minute >= ? AND minute < ?${this.scopeSql(scope)} GROUP BY minute)`).get(range.from, range.to) as { minute: number | null; c: number | null };
    return r.minute === null || r.c === null ? null : { minute: r.minute, count: r.c };
  }

  hourHistograms(range: TimeRange, scope: Scope, groupBy: GroupBy): Map<string, Buckets> {
    const out = new Map<string, Buckets>();
    this.eachHourHistogram(range, scope, groupBy, (gid, _hour, buckets, counts) => {
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
    return failuresOnly ? rawFailures(this.db, range, scope) : rawEvents(this.db, range, scope);
  }

  rawDurations(range: TimeRange, scope: Scope, groupBy: GroupBy): Map<string, number[]> {
    return rawDurations(this.db, range, scope, groupBy);
  }

  seriesTotals(range: TimeRange, stepMs: number, scope: Scope, groupBy: GroupBy, keep: readonly string[]): BucketTotals[] {
    const step = Math.trunc(stepMs);
    const rows = this.db.prepare(`SELECT ${this.keptGroup(groupBy, keep)} AS g, minute - minute % ${step} AS t, sum(count) AS count,
        sum(error_count) AS err, sum(timeout_count) AS tmo, sum(retries_sum) AS rs, sum(dur_count) AS dn, sum(dur_sum) AS ds, min(dur_min) AS dmin, max(dur_max) AS dmax,
        max(mem_max) AS mmax, max(conc_max) AS kmax
      FROM minute_stats WHERE minute >= ? AND minute < ?${this.scopeSql(scope)} GROUP BY g, t ORDER BY t`).all(range.from, range.to) as Row[];
    return rows.map((r) => ({
      group: r.g === -1 ? null : this.name(groupBy, r.g as number), t: r.t as number, count: num(r.count), errorCount: num(r.err),
      timeoutCount: num(r.tmo), retriesSum: num(r.rs), durCount: num(r.dn), durSum: num(r.ds), durMin: r.dmin as number | null, durMax: r.dmax as number | null,
      memMax: r.mmax as number | null, concMax: r.kmax as number | null,
    }));
  }

  seriesHistograms(range: TimeRange, stepMs: number, scope: Scope, groupBy: GroupBy, keep: readonly string[]): Map<string | null, Map<number, Buckets>> {
    const step = Math.trunc(stepMs);
    const kept = new Set(keep);
    const out = new Map<string | null, Map<number, Buckets>>();
    this.eachHourHistogram(range, scope, groupBy, (gid, hour, buckets, counts) => {
      const name = this.name(groupBy, gid);
      const g = kept.has(name) ? name : null;
      const t = hour - (hour % step);
      let byT = out.get(g);
      if (!byT) out.set(g, (byT = new Map()));
      let b = byT.get(t);
      if (!b) byT.set(t, (b = new Map()));
      for (let i = 0; i < buckets.length; i++) mergeInto(b, buckets[i], counts[i]);
    });
    return out;
  }

  rawSeriesHistograms(range: TimeRange, stepMs: number, scope: Scope, groupBy: GroupBy, keep: readonly string[]): Map<string | null, Map<number, Buckets>> {
    return rawSeriesHistograms(this.db, range, stepMs, scope, groupBy, keep);
  }

  activeMinutes(range: TimeRange, scope: Scope): number[] {
    return this.db.prepare(`SELECT DISTINCT minute FROM minute_stats WHERE minute >= ? AND minute < ?${this.scopeSql(scope)} ORDER BY minute`).pluck().all(range.from, range.to) as number[];
  }

  lastIngest(): number | null {
    return (this.db.prepare('SELECT max(updated_at) FROM files').pluck().get() as number | null) ?? null;
  }

  countAfter(ms: number, scope: Scope): number {
    const next = floorMinute(ms) + MINUTE_MS;
    const later = this.db.prepare(`SELECT coalesce(sum(count), 0) FROM minute_stats WHERE minute >= ?${this.scopeSql(scope)}`).pluck().get(next) as number;
    return later + rawSpan(this.db, { from: ms + 1, to: next }, scope).count;
  }

  quarantine(): { total: number; reasons: Array<{ reason: string; count: number }>; storedEvents: number; foldedOperations: number; foldedValues: Record<string, number> } {
    const reasons = this.db.prepare('SELECT reason, count(*) AS count FROM quarantine GROUP BY reason ORDER BY count DESC, reason').all() as Array<{ reason: string; count: number }>;
    const storedEvents = this.db.prepare('SELECT coalesce(sum(count), 0) FROM minute_stats').pluck().get() as number;
    const folded = this.db.prepare("SELECT value FROM meta WHERE key = 'folded_ops'").pluck().get() as string | undefined;
    const values = this.db.prepare("SELECT key, value FROM meta WHERE key LIKE 'folded_values:%' ORDER BY key").all() as Array<{ key: string; value: string }>;
    const foldedValues = Object.fromEntries(values.map((r) => [r.key.slice(FOLDED_VALUES.length), Number(r.value)]));
    return { total: reasons.reduce((s, r) => s + r.count, 0), reasons, storedEvents, foldedOperations: Number(folded ?? 0), foldedValues };
  }

  hasConcurrency(range: TimeRange, scope: Scope): boolean {
    return this.db.prepare(`SELECT 1 FROM minute_stats WHERE minute >= ? AND minute < ? AND conc_n > 0${this.scopeSql(scope)} LIMIT 1`).get(floorMinute(range.from), range.to) !== undefined;
  }

  concurrencySample(range: TimeRange, scope: Scope, maxRows: number): ConcurrencySample[] {
    return concurrencySample(this.db, range, scope, maxRows);
  }

  slowest(range: TimeRange, scope: Scope, op: string, k: number): RawExample[] {
    const opId = this.ids.op.get(op);
    if (opId === undefined) return [];
    // The k slowest events lie in the k minutes with the largest maxima, so only those minutes are read raw.
    const minutes = this.db.prepare(`SELECT minute, max(dur_max) AS m FROM minute_stats WHERE op_id = ? AND minute >= ? AND minute < ?
      AND dur_max IS NOT NULL${this.scopeSql({ ops: null, source: scope.source })} GROUP BY minute ORDER BY m DESC LIMIT ?`).pluck().all(opId, floorMinute(range.from), range.to, k) as number[];
    return slowestIn(this.db, minutes.map((m) => ({ from: Math.max(m, range.from), to: Math.min(m + MINUTE_MS, range.to) })), scope, op, k);
  }

  /**
   * Every hour_hist histogram in `range` (one per hour, operation and source), its buckets and counts as two
   * arrays. Grouped in the primary key's order, so SQLite streams them without sorting, and merged here: a GROUP BY
   * on the group and bucket sorts every row and costs several times as much.
   */
  private eachHourHistogram(range: TimeRange, scope: Scope, groupBy: GroupBy, each: (gid: number, hour: number, buckets: number[], counts: number[]) => void): void {
    const rows = this.db.prepare(`SELECT ${groupColumn(groupBy)}, hour, json_group_array(bucket), json_group_array(n) FROM hour_hist
      WHERE hour >= ? AND hour < ?${this.scopeSql(scope)} GROUP BY hour, op_id, source_id`).raw().iterate(range.from, range.to) as Iterable<[number, number, string, string]>;
    for (const [gid, hour, buckets, counts] of rows) each(gid, hour, JSON.parse(buckets) as number[], JSON.parse(counts) as number[]);
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

function groupColumn(groupBy: GroupBy): string {
  return `${groupBy}_id`;
}

/** Unknown names become -1, which matches nothing, so an empty or stale list never widens the filter. */
function idList(ids: Array<number | undefined>): string {
  const known = ids.filter((x): x is number => x !== undefined);
  return known.length ? known.join(',') : '-1';
}

function floorMinute(ms: number): number {
  return ms - (((ms % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

function gauge(max: unknown, sum: unknown, n: unknown): Gauge {
  return { max: typeof max === 'number' ? max : -Infinity, sum: num(sum), n: num(n) };
}
