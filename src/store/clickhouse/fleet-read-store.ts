import type { BaselineInfo, BaselineReader, BaselineRow, ReadStore } from '../read-store.js';
import { ClickHouseQueries } from './clickhouse-queries.js';
import { FleetConnection, sqlString } from './connection.js';
import { SyncQueries } from './sync-queries.js';

/** The fleet store as the analysis reads it; fails with a StoreError when it does not exist or cannot be reached. */
export async function openFleetReadStore(url: string): Promise<ReadStore & { close(): Promise<void> }> {
  const conn = await FleetConnection.open(url, { create: false });
  const { database } = conn.target;
  await conn.close();
  const sql = new SyncQueries(url);
  return { queries: new ClickHouseQueries(sql, database), baselines: fleetBaselines(sql, database), close: () => sql.close() };
}

/** The newest row of each name wins; one with deleted = 1 means the baseline was removed. */
function fleetBaselines(sql: SyncQueries, database: string): BaselineReader {
  const latest = `SELECT name, argMax(created_at, version) AS createdAt, argMax(window_from, version) AS windowFrom,
    argMax(window_to, version) AS windowTo, argMax(doc, version) AS doc, argMax(deleted, version) AS deleted
    FROM ${database}.baselines`;
  return {
    get: (name) => {
      const [r] = sql.rows<BaselineRow & { deleted: number }>(`${latest} WHERE name = ${sqlString(name)} GROUP BY name`);
      return r && !r.deleted ? { name: r.name, createdAt: r.createdAt, windowFrom: r.windowFrom, windowTo: r.windowTo, doc: r.doc } : undefined;
    },
    list: () =>
      sql.rows<BaselineInfo & { deleted: number }>(`${latest} GROUP BY name ORDER BY name`)
        .filter((r) => !r.deleted)
        .map((r) => ({ name: r.name, createdAt: r.createdAt, windowFrom: r.windowFrom, windowTo: r.windowTo })),
  };
}
