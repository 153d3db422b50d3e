import type { Baselines, IntegrityReport, PruneResult, Store, StoreStatus } from '../store.js';
import { ClickHouseQueries } from './clickhouse-queries.js';
import { counted } from './counted-rows.js';
import { FleetBaselines } from './fleet-baselines.js';
import { SyncQueries } from './sync-queries.js';
import { parseTarget } from './target.js';

/**
 * Opens a fleet store; fails with a StoreError when it does not exist, is of another version or cannot be reached.
 * The query worker connects and checks the schema while the caller goes on starting up.
 */
export async function openFleetStore(url: string): Promise<FleetStore> {
  const store = new FleetStore(url);
  try {
    await store.ready;
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

/** The tables that hold shipped rows (OPTIMIZE merges their parts). */
const DATA_TABLES = ['events', 'minute_stats', 'hour_hist', 'error_groups', 'quarantine'];

type Row = Record<string, number | string | null>;

/**
 * The fleet store behind the same interface as a local one: the analysis reads it (ClickHouseQueries), `status`
 * surveys it, `baseline` keeps named baselines in it, `prune` drops its old raw events. Every call waits on the
 * query worker (sync-queries.ts); a database that does not exist or cannot be reached fails the first call with a
 * StoreError.
 */
export class FleetStore implements Store {
  readonly location: string;
  readonly queries: ClickHouseQueries;
  readonly baselines: Baselines;
  private readonly sql: SyncQueries;
  private readonly database: string;
  readonly ready: Promise<void>;

  constructor(url: string) {
    const target = parseTarget(url);
    this.location = target.display;
    this.database = target.database;
    this.sql = new SyncQueries(url);
    this.ready = this.sql.ready;
    this.queries = new ClickHouseQueries(this.sql, this.database);
    this.baselines = new FleetBaselines(this.sql, this.database);
  }

  status(): StoreStatus {
    const rows = (sql: string) => this.sql.rows<Row>(sql);
    const [t] = rows(`SELECT sum(count) AS n, min(minute) AS lo, max(minute) AS hi, uniqExact(op) AS ops, count() AS r FROM ${counted(this.database, 'minute_stats')}`);
    const [raw] = rows(`SELECT count() AS n FROM ${counted(this.database, 'events')}`);
    const [v] = rows(`SELECT max(version) AS v FROM ${this.database}.schema_version`);
    const reasons = rows(`SELECT reason AS g, count() AS n FROM ${counted(this.database, 'quarantine')} GROUP BY g ORDER BY n DESC, g`)
      .map((r) => ({ reason: String(r.g), count: Number(r.n) }));
    return {
      db: { path: this.location, bytes: this.sql.call('bytesOnDisk'), schemaVersion: Number(v?.v ?? 0) },
      events: Number(t?.n ?? 0),
      rawEvents: Number(raw?.n ?? 0),
      range: t && Number(t.r) > 0 ? { from: Number(t.lo), to: Number(t.hi) + 60_000 } : null,
      sources: rows(`SELECT source AS g, sum(count) AS n FROM ${counted(this.database, 'minute_stats')} GROUP BY g ORDER BY n DESC, g`)
        .map((r) => ({ name: String(r.g), events: Number(r.n) })),
      operations: Number(t?.ops ?? 0),
      quarantined: reasons.reduce((s, r) => s + r.count, 0),
      quarantineReasons: reasons,
      // Checkpoints belong to each host's local store; the fleet knows what each host shipped.
      files: [],
      shipped: rows(`SELECT source AS g, count() AS b, sum(events) AS n, max(at) AS last FROM ${this.database}.shipments WHERE state = 'done' GROUP BY g ORDER BY g`)
        .map((r) => ({ source: String(r.g), batches: Number(r.b), events: Number(r.n), lastShippedAt: Number(r.last) })),
    };
  }

  /** The schema on every node, ClickHouse's own table checks, and every shipped batch against its ledger (fleet-check.ts). */
  checkIntegrity(): IntegrityReport {
    return this.sql.call('checkIntegrity');
  }

  /**
   * Drops the raw events of the days before the day `cutoff` falls in: `events` is partitioned by day, and dropping
   * whole partitions is cheap and exact (the day as the server's time zone cuts it, so the mark is the start of
   * that day there). Rollups stay; the mark is recorded so reads take windows before it from the histograms.
   */
  pruneRawEvents(cutoff: number): PruneResult {
    const ms = Math.trunc(cutoff);
    const [d] = this.sql.rows<Row>(`SELECT toYYYYMMDD(toDateTime(intDiv(${ms}, 1000))) AS day, toUInt64(toStartOfDay(toDateTime(intDiv(${ms}, 1000)))) * 1000 AS start`);
    const start = Number(d.start);
    const [n] = this.sql.rows<Row>(`SELECT count() AS n FROM ${counted(this.database, 'events')} AND ts < ${start}`);
    this.sql.call('dropDaysBefore', 'events', Number(d.day));
    const prunedBefore = Math.max(start, this.queries.rawPrunedBefore() ?? -Infinity);
    this.sql.call('command', `INSERT INTO ${this.database}.raw_pruned (before, at) VALUES (${prunedBefore}, ${Date.now()})`);
    return { deleted: Number(n.n), prunedBefore };
  }

  compact(): void {
    this.sql.call('optimize', DATA_TABLES);
  }

  async close(): Promise<void> {
    await this.sql.close();
  }
}
