import { isClickHouseUrl } from '../store/clickhouse/target.js';
import { openStore } from '../store/sqlite/open-store.js';
import { sqliteReadStore, type ReadStore } from '../store/read-store.js';

/** `--db`: a SQLite file, or a clickhouse:// URL for the fleet store (its client is loaded only then). */
export async function openReadStore(db: string): Promise<ReadStore & { close(): Promise<void> }> {
  if (isClickHouseUrl(db)) return (await import('../store/clickhouse/fleet-read-store.js')).openFleetReadStore(db);
  const sqlite = openStore(db, { readonly: true });
  return { ...sqliteReadStore(sqlite), close: async () => void sqlite.close() };
}
