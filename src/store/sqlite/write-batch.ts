import { mergeRollups } from '../../aggregate/rollup.js';
import { DEFAULT_MAX_DIMENSION_VALUES } from '../../core/op-event.js';
import type { ChunkDims } from '../event-chunks.js';
import { ConcurrentIngestError, DEFAULT_MAX_NAMES, FOLDED_VALUES, OTHER_NAMES as OTHER, type Batch, type BatchWriter, type FullNames, type NameCaps, type NameKind as Kind } from '../batch-writer.js';
import { floorTo, HOUR_MS } from '../../core/time.js';
import { REFRESH_HOUR } from './hour-stats.js';
import { dayHistograms, DayHistWriter } from './day-hist.js';
import { FiveMinuteHistWriter } from './five-min-hist.js';
import { ADD_MINUTE_TOTAL } from './minute-totals.js';
import type { SqliteCheckpoints } from './sqlite-checkpoints.js';
import type { Db } from './open-store.js';
import { SNIPPET_MAX } from '../../ingest/read-lines.js';


/** Where dimension values past `dimensions.maxValues` go. */
export const OTHER_VALUE = '(other values)';
/** Values per dimension cached in memory; beyond, a lookup reads the store (a store holds at most maxValues anyway). */
const CACHED_VALUES = 10_000;
/** SQLite's page cache, in KB, on a connection that writes batches. */
const WRITER_CACHE_KB = 8192;

/**
 * Names interned by one transaction, the store's name counts as of it (read once, then kept up to date here: a log
 * with thousands of new names would otherwise count the table once per name) and the names it folded.
 */
type Interned = Record<Kind, Map<string, number>> & { counts: Partial<Record<Kind, number>>; folded: Record<Kind, Set<string>>; added: boolean };

const KINDS = ['op', 'source'] as const;

/** Writes batches: raw event chunks, rollups (the hour_stats rows touched rebuilt, day_hist, five_min_hist and minute_totals added to), error groups, quarantine and the checkpoint in one transaction. */
export class SqliteBatchWriter implements BatchWriter {
  private readonly ids = { op: new Map<string, number>(), source: new Map<string, number>() };
  private readonly maxNames: number;
  private readonly maxValues: number;
  private readonly stmt;
  private readonly days: DayHistWriter;
  private readonly fives: FiveMinuteHistWriter;
  private readonly tx;
  /** The names of each full kind (fullNames), and the commit count they were last checked at. */
  private full: FullNames = {};
  private commits = 0;
  private fullCheckedAt = -1;
  /** Whether the last commit added a name (or none has committed yet). */
  private added = true;

  /** Dimension values seen in the store (one from a batch that rolled back could only loosen the cap a little). */
  private readonly values = new Map<string, Set<string>>();

  constructor(
    db: Db,
    private readonly checkpoints: SqliteCheckpoints,
    caps: NameCaps = {},
  ) {
    // A writer's upserts land on the last pages of the time-ordered tables, which 8 MB of page cache holds; with the
    // store's 16 MB a log with many operations filled the rest with pages it did not read again (peak RSS ~10 MB).
    db.pragma(`cache_size = -${WRITER_CACHE_KB}`);
    this.maxNames = caps.maxNames ?? DEFAULT_MAX_NAMES;
    this.maxValues = caps.maxValues ?? DEFAULT_MAX_DIMENSION_VALUES;
    this.stmt = {
      insertOp: db.prepare('INSERT OR IGNORE INTO ops (name) VALUES (?)'),
      opId: db.prepare('SELECT id FROM ops WHERE name = ?').pluck(),
      insertSource: db.prepare('INSERT OR IGNORE INTO sources (name) VALUES (?)'),
      sourceId: db.prepare('SELECT id FROM sources WHERE name = ?').pluck(),
      offset: db.prepare('SELECT offset FROM files WHERE id = ?').pluck(),
      chunk: db.prepare('INSERT INTO event_chunks (hour, op_id, source_id, ts_min, ts_max, n, data, failures, dims) VALUES (?,?,?,?,?,?,?,?,?)'),
      insertValue: db.prepare('INSERT OR IGNORE INTO dimension_values (dim, value) VALUES (?, ?)'),
      countValues: db.prepare('SELECT count(*) FROM dimension_values WHERE dim = ?').pluck(),
      hasValue: db.prepare('SELECT 1 FROM dimension_values WHERE dim = ? AND value = ?').pluck(),
      minute: db.prepare(`INSERT INTO minute_stats VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT (minute, op_id, source_id) DO UPDATE SET
          count = count + excluded.count, ok_count = ok_count + excluded.ok_count,
          error_count = error_count + excluded.error_count, timeout_count = timeout_count + excluded.timeout_count,
          dur_count = dur_count + excluded.dur_count, dur_sum = dur_sum + excluded.dur_sum,
          dur_min = min(coalesce(dur_min, excluded.dur_min), coalesce(excluded.dur_min, dur_min)),
          dur_max = max(coalesce(dur_max, excluded.dur_max), coalesce(excluded.dur_max, dur_max)),
          retries_sum = retries_sum + excluded.retries_sum, retried_count = retried_count + excluded.retried_count,
          mem_max = max(coalesce(mem_max, excluded.mem_max), coalesce(excluded.mem_max, mem_max)),
          mem_sum = mem_sum + excluded.mem_sum, mem_n = mem_n + excluded.mem_n,
          cpu_max = max(coalesce(cpu_max, excluded.cpu_max), coalesce(excluded.cpu_max, cpu_max)),
          cpu_sum = cpu_sum + excluded.cpu_sum, cpu_n = cpu_n + excluded.cpu_n,
          conc_max = max(coalesce(conc_max, excluded.conc_max), coalesce(excluded.conc_max, conc_max)),
          conc_sum = conc_sum + excluded.conc_sum, conc_n = conc_n + excluded.conc_n`),
      hist: db.prepare(`INSERT INTO hour_hist VALUES (?,?,?,?,?)
        ON CONFLICT (hour, op_id, source_id, bucket) DO UPDATE SET n = n + excluded.n`),
      minuteTotal: db.prepare(ADD_MINUTE_TOTAL),
      hour: db.prepare(REFRESH_HOUR),
      group: db.prepare(`INSERT INTO error_groups VALUES (?,?,?,?,?,?,?,?,?)
        ON CONFLICT (hour, op_id, category, fingerprint) DO UPDATE SET count = count + excluded.count,
          first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)`),
      quarantine: db.prepare('INSERT INTO quarantine (file, line, byte_offset, reason, snippet, at) VALUES (?,?,?,?,?,?)'),
      countOps: db.prepare('SELECT count(*) FROM ops').pluck(),
      countSources: db.prepare('SELECT count(*) FROM sources').pluck(),
      opNames: db.prepare('SELECT name FROM ops').pluck(),
      sourceNames: db.prepare('SELECT name FROM sources').pluck(),
      fold: db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)
        ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)`),
    };
    this.days = new DayHistWriter(db);
    this.fives = new FiveMinuteHistWriter(db);
    this.tx = db.transaction((b: Batch, fresh: Interned) => this.write(b, fresh));
  }

  commit(b: Batch): void {
    const fresh: Interned = { op: new Map(), source: new Map(), counts: {}, folded: { op: new Set(), source: new Set() }, added: false };
    // IMMEDIATE takes the write lock before reading the checkpoint, so two processes cannot both pass the check.
    this.tx.immediate(b, fresh);
    this.commits++;
    this.added = fresh.added;
    // Names interned in a transaction are cached only once it has committed: a rolled-back id may be reused.
    // Folded names are not cached: a log with ids for names would grow the cache without bound.
    for (const kind of KINDS) {
      const other = this.ids[kind].get(OTHER[kind]) ?? fresh[kind].get(OTHER[kind]);
      for (const [name, id] of fresh[kind]) if (id !== other || name === OTHER[kind]) this.ids[kind].set(name, id);
    }
  }

  /**
   * Once a kind has as many names as its cap, the store takes no new one (another process cannot add one either,
   * at the same cap): its names are read once and readers fold every other name before aggregating.
   */
  fullNames(): FullNames {
    if (this.fullCheckedAt === this.commits) return this.full;
    this.fullCheckedAt = this.commits;
    for (const kind of KINDS) {
      if (this.full[kind] || ((kind === 'op' ? this.stmt.countOps : this.stmt.countSources).get() as number) < this.maxNames) continue;
      const names = (kind === 'op' ? this.stmt.opNames : this.stmt.sourceNames).all() as string[];
      this.full = { ...this.full, [kind]: new Set(names) };
    }
    return this.full;
  }

  namesGrowing(): boolean {
    return this.added;
  }

  private write(b: Batch, fresh: Interned): void {
    if (b.fileId !== null) {
      const committed = this.stmt.offset.get(b.fileId) as number | undefined;
      if (committed !== b.startOffset) {
        throw new ConcurrentIngestError(`another process ingested this file up to byte ${committed} meanwhile`);
      }
      if (b.joinFrom !== undefined && JSON.stringify(this.checkpoints.joinState(b.fileId)) !== JSON.stringify(b.joinFrom)) {
        throw new ConcurrentIngestError('another process ended the requests waiting in this file meanwhile');
      }
    }
    const id = (kind: 'op' | 'source', name: string) => this.id(kind, name, fresh);
    for (const { chunks } of b.parts) {
      for (const c of chunks) {
        const data = Buffer.isBuffer(c.data) ? c.data : Buffer.from((c.data as Uint8Array).buffer, (c.data as Uint8Array).byteOffset, (c.data as Uint8Array).byteLength);
        this.stmt.chunk.run(c.hour, id('op', c.op), id('source', c.source), c.tsMin, c.tsMax, c.n, data, c.failures, c.dims ? JSON.stringify(this.capValues(c.dims)) : null);
      }
    }
    {
      const r = mergeRollups(b.parts.map((p) => p.rollup));
      const hours = new Map<string, { hour: number; op: number; source: number }>();
      const perMinute = new Map<number, number>();
      for (const m of r.minutes) {
        const hour = { hour: floorTo(m.minute, HOUR_MS), op: id('op', m.op), source: id('source', m.source) };
        hours.set(`${hour.hour},${hour.op},${hour.source}`, hour);
        perMinute.set(m.minute, (perMinute.get(m.minute) ?? 0) + m.count);
        this.stmt.minute.run(
          m.minute, hour.op, hour.source, m.count, m.okCount, m.errorCount, m.timeoutCount,
          m.durCount, m.durSum, fin(m.durMin), fin(m.durMax), m.retriesSum, m.retriedCount,
          fin(m.memory.max), m.memory.sum, m.memory.n, fin(m.cpu.max), m.cpu.sum, m.cpu.n,
          fin(m.concurrency.max), m.concurrency.sum, m.concurrency.n,
        );
      }
      for (const h of hours.values()) this.stmt.hour.run(h);
      for (const [minute, count] of perMinute) this.stmt.minuteTotal.run(minute, count);
      for (const h of r.hours) {
        const op = id('op', h.op);
        const src = id('source', h.source);
        for (const [bucket, n] of h.buckets) this.stmt.hist.run(h.hour, op, src, bucket, n);
      }
      for (const d of dayHistograms(r.hours)) this.days.add(d.day, id('op', d.op), id('source', d.source), d.buckets);
      this.fives.add(b.parts, id);
      for (const g of r.errorGroups) {
        this.stmt.group.run(g.hour, id('op', g.op), g.category, g.fingerprint, g.count, g.firstSeen, g.lastSeen, g.example, g.code);
      }
    }
    const now = Date.now();
    for (const q of b.quarantine) {
      this.stmt.quarantine.run(q.file, q.line, q.offset, q.reason, q.snippet.slice(0, SNIPPET_MAX), now);
    }
    // Names folded here and names folded while parsing (each counted once per batch or segment it came in).
    for (const kind of KINDS) {
      const n = b.parts.reduce((sum, p) => sum + (p.folded?.[kind] ?? 0), fresh.folded[kind].size);
      if (n) this.stmt.fold.run(kind === 'op' ? 'folded_ops' : 'folded_sources', n);
    }
    if (b.fileId !== null && b.position) {
      this.checkpoints.advance(b.fileId, b.position, { events: b.events, quarantined: b.quarantine.length });
      if (b.joinState) this.checkpoints.saveJoinState(b.fileId, b.joinState);
    } else if (b.fileId !== null && b.joinState) {
      this.checkpoints.saveJoinState(b.fileId, b.joinState);
    }
  }

  /**
   * Folds values past `maxValues` per dimension into OTHER_VALUE (counted in meta and reported), so a field that
   * turns out to carry ids cannot grow the store and every attribution without bound. A value's first sight is
   * checked and counted inside the write transaction; values seen are cached.
   */
  private capValues(d: ChunkDims): ChunkDims {
    d.v = d.v.map((values, j) => values.map((value) => {
      const dim = d.k[j];
      const known = this.values.get(dim) ?? this.values.set(dim, new Set()).get(dim)!;
      if (known.has(value) || this.stmt.hasValue.get(dim, value) !== undefined) {
        if (known.size < CACHED_VALUES) known.add(value);
        return value;
      }
      if ((this.stmt.countValues.get(dim) as number) >= this.maxValues) {
        this.stmt.fold.run(`${FOLDED_VALUES}${dim}`, 1);
        return OTHER_VALUE;
      }
      this.stmt.insertValue.run(dim, value);
      return value;
    }));
    return d;
  }

  /** Names in the store: counted in the write transaction, so two writers cannot both pass the cap. */
  private countNames(kind: Kind, fresh: Interned): number {
    return (fresh.counts[kind] ??= (kind === 'op' ? this.stmt.countOps : this.stmt.countSources).get() as number);
  }

  private id(kind: 'op' | 'source', name: string, fresh: Interned): number {
    const known = this.ids[kind].get(name) ?? fresh[kind].get(name);
    if (known !== undefined) return known;
    if (name !== OTHER[kind] && this.countNames(kind, fresh) >= this.maxNames) {
      // A name the store already holds (from an earlier run) keeps its id.
      const stored = (kind === 'op' ? this.stmt.opId : this.stmt.sourceId).get(name) as number | undefined;
      if (stored !== undefined) {
        fresh[kind].set(name, stored);
        return stored;
      }
      // Past the cap a new name is folded into one bucket (the count is kept in meta and reported), so a log
      // that puts ids into operation names cannot grow the store and every analysis without bound.
      fresh.folded[kind].add(name);
      const other = this.id(kind, OTHER[kind], fresh);
      fresh[kind].set(name, other);
      return other;
    }
    const inserted = (kind === 'op' ? this.stmt.insertOp : this.stmt.insertSource).run(name).changes > 0;
    if (inserted) {
      fresh.added = true;
      if (fresh.counts[kind] !== undefined) fresh.counts[kind]++;
    }
    const id = (kind === 'op' ? this.stmt.opId : this.stmt.sourceId).get(name) as number;
    fresh[kind].set(name, id);
    return id;
  }
}

function fin(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
