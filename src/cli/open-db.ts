import { isClickHouseUrl } from '../store/clickhouse/target.js';
import type { ReadStore } from '../store/read-store.js';
import type { IngestStore, StatusStore, Store } from '../store/store.js';

/**
 * The one place a command opens the store `--db` names; everything below the CLI sees only the store interfaces
 * (store/store.ts, store/read-store.ts). Each opener loads its store's modules when called, and no more: a fleet
 * store's client only for a clickhouse:// URL, SQLite's writer and analysis queries not for `status`.
 */
export async function openReadStore(db: string): Promise<ReadStore & { close(): Promise<void> }> {
  return openStore(db, { readonly: true });
}

/**
 * Opens the store while `prepare` loads and checks what the command needs, so that a fleet store's query worker
 * starts up (loads its client, connects) meanwhile. An error of `prepare` is the one reported, and the store is closed.
 */
export async function openReadStoreWhile<T>(db: string, prepare: () => Promise<T>): Promise<[T, ReadStore & { close(): Promise<void> }]> {
  const opening = openReadStore(db);
  opening.catch(() => undefined); // reported when awaited, after prepare's own errors
  try {
    return [await prepare(), await opening];
  } catch (e) {
    await opening.then((s) => s.close(), () => undefined);
    throw e;
  }
}

/** A store to survey or change (baselines, prune): a local one, or a fleet store's URL. */
export async function openStore(db: string, opts: { readonly?: boolean } = {}): Promise<Store> {
  if (isClickHouseUrl(db)) return openFleetStore(db);
  return (await import('../store/sqlite/sqlite-store.js')).openSqliteStore(db, opts);
}

/** The store `status` surveys, read-only: a local one's writer, analysis queries and outbox are not loaded. */
export async function openStatusStore(db: string): Promise<StatusStore> {
  if (isClickHouseUrl(db)) return openFleetStore(db);
  return (await import('../store/sqlite/sqlite-status-store.js')).openSqliteStatusStore(db);
}

/** The local store ingest and watch write into, and ship sends on from. */
export async function openIngestStore(db: string): Promise<IngestStore> {
  return (await import('../store/sqlite/sqlite-store.js')).openSqliteStore(db);
}

async function openFleetStore(db: string): Promise<Store> {
  return (await import('../store/clickhouse/fleet-store.js')).openFleetStore(db);
}
