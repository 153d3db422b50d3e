import type { BatchWriter, NameCaps } from '../batch-writer.js';
import type { Checkpoints } from '../checkpoints.js';
import type { StoreQueries } from '../queries.js';
import type { ShipOutbox } from '../ship-outbox.js';
import type { Baselines, IngestStore, PruneResult } from '../store.js';
import { SqliteBaselines } from './baselines.js';
import { SqliteCheckpoints } from './sqlite-checkpoints.js';
import { fillFiveMinuteHist } from './five-min-hist.js';
import { openDatabase, storeError, type Db, type OpenOptions } from './open-store.js';
import { pruneEvents, vacuum } from './prune-events.js';
import { sqliteQueries } from './sqlite-queries.js';
import { SqliteShipOutbox } from './sqlite-ship-outbox.js';
import { SqliteStatusStore } from './sqlite-status-store.js';
import { SqliteBatchWriter } from './write-batch.js';

/** Opens (and for writers creates and migrates) the SQLite store at `dbPath`. */
export function openSqliteStore(dbPath: string, opts: OpenOptions = {}): SqliteStore {
  return new SqliteStore(dbPath, openDatabase(dbPath, { ...opts, fillFiveMinuteHist }));
}

/**
 * The store in one SQLite file (WAL). Every call through its interfaces turns a SQLite failure (a full disk, a
 * lock held too long, a corrupt file) into one StoreError naming the database.
 */
export class SqliteStore extends SqliteStatusStore implements IngestStore {
  readonly baselines: Baselines;
  readonly checkpoints: Checkpoints;
  readonly outbox: ShipOutbox;
  private readonly sqliteCheckpoints: SqliteCheckpoints;
  private reader: StoreQueries | undefined;

  constructor(location: string, db: Db) {
    super(location, db);
    this.sqliteCheckpoints = new SqliteCheckpoints(db);
    this.checkpoints = mapErrors(this.sqliteCheckpoints, location);
    this.baselines = mapErrors(new SqliteBaselines(db), location);
    this.outbox = mapErrors(new SqliteShipOutbox(db), location);
  }

  /** Built on first use: it reads every operation and source name once. */
  get queries(): StoreQueries {
    this.reader ??= mapErrors(this.mapped(() => sqliteQueries(this.db)), this.location);
    return this.reader;
  }

  batchWriter(caps?: NameCaps): BatchWriter {
    return mapErrors(new SqliteBatchWriter(this.db, this.sqliteCheckpoints, caps), this.location);
  }

  pruneRawEvents(cutoff: number): PruneResult {
    return this.mapped(() => pruneEvents(this.db, cutoff));
  }

  compact(): void {
    this.mapped(() => vacuum(this.db));
  }
}

/** `target` with every method's failures passed through storeError. */
function mapErrors<T extends object>(target: T, location: string): T {
  return new Proxy(target, {
    get(t, key) {
      const v = Reflect.get(t, key, t) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        try {
          return (v as (...a: unknown[]) => unknown).apply(t, args);
        } catch (e) {
          throw storeError(e, location);
        }
      };
    },
  });
}
