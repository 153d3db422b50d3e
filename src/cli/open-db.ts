import { isClickHouseUrl } from '../store/clickhouse/target.js';
import type { ReadStore } from '../store/read-store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { IngestStore, Store } from '../store/store.js';

/**
 * The one place a command opens the store `--db` names; everything below the CLI sees only the store interfaces
 * (store/store.ts, store/read-store.ts). A fleet store's client is loaded only when `--db` is a clickhouse:// URL.
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

/** A store to survey or change (status, baselines, prune): a local one, or a fleet store's URL. */
export async function openStore(db: string, opts: { readonly?: boolean } = {}): Promise<Store> {
  if (isClickHouseUrl(db)) return (await import('../store/clickhouse/fleet-store.js')).openFleetStore(db);
  return openSqliteStore(db, opts);
}

/** The local store ingest and watch write into, and ship sends on from. */
export function openIngestStore(db: string): IngestStore {
  return openSqliteStore(db);
}
