import type { IntegrityReport, StatusStore, StoreStatus } from '../store.js';
import { checkIntegrity } from './integrity.js';
import { openDatabase, storeError, type Db } from './open-store.js';
import { readStatus } from './read-status.js';

/**
 * Opens the SQLite store at `dbPath` read-only for `status`. This module and what it imports are all `status`
 * loads of the store: not the batch writer, the analysis queries or the shipping outbox (sqlite-store.ts).
 */
export function openSqliteStatusStore(dbPath: string): SqliteStatusStore {
  return new SqliteStatusStore(dbPath, openDatabase(dbPath, { readonly: true }));
}

/** The store's status and integrity check; a SQLite failure in either becomes one StoreError naming the database. */
export class SqliteStatusStore implements StatusStore {
  constructor(
    readonly location: string,
    /** The database itself, for the tests that look inside it. */
    readonly db: Db,
  ) {}

  status(): StoreStatus {
    return this.mapped(() => readStatus(this.db, this.location));
  }

  checkIntegrity(): IntegrityReport {
    return this.mapped(() => checkIntegrity(this.db));
  }

  async close(): Promise<void> {
    this.db.close();
  }

  protected mapped<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw storeError(e, this.location);
    }
  }
}
