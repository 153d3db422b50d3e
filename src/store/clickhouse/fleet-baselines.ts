import type { BaselineInfo, BaselineRow } from '../read-store.js';
import type { Baselines } from '../store.js';
import { sqlString } from './sql-string.js';
import type { SyncQueries } from './sync-queries.js';

/**
 * Named baselines of the fleet (`baselines` table): a row per change, the newest row of a name wins and one with
 * deleted = 1 removes it, so saving and removing are inserts (ClickHouse has no cheap UPDATE or DELETE).
 */
export class FleetBaselines implements Baselines {
  constructor(
    private readonly sql: SyncQueries,
    private readonly database: string,
  ) {}

  get(name: string): BaselineRow | undefined {
    const [r] = this.latest(`WHERE name = ${sqlString(name)}`);
    return r && !r.deleted ? { name: r.name, createdAt: r.createdAt, windowFrom: r.windowFrom, windowTo: r.windowTo, doc: r.doc } : undefined;
  }

  list(): BaselineInfo[] {
    return this.latest('').filter((r) => !r.deleted).map((r) => ({ name: r.name, createdAt: r.createdAt, windowFrom: r.windowFrom, windowTo: r.windowTo }));
  }

  put(row: BaselineRow, replace: boolean): boolean {
    const [r] = this.latest(`WHERE name = ${sqlString(row.name)}`);
    if (r && !r.deleted && !replace) return false;
    this.insert(row, 0, (r?.version ?? 0) + 1);
    return true;
  }

  delete(name: string): boolean {
    const [r] = this.latest(`WHERE name = ${sqlString(name)}`);
    if (!r || r.deleted) return false;
    this.insert({ name, createdAt: Date.now(), windowFrom: r.windowFrom, windowTo: r.windowTo, doc: '' }, 1, r.version + 1);
    return true;
  }

  private latest(where: string): Array<BaselineRow & { deleted: number; version: number }> {
    // Aliases differ from every column name: on ClickHouse an alias shadows the column in the whole query.
    const rows = this.sql.rows<Record<string, string | number>>(`SELECT name AS n, argMax(created_at, version) AS c, argMax(window_from, version) AS f,
      argMax(window_to, version) AS t, argMax(doc, version) AS d, argMax(deleted, version) AS x, max(version) AS v
      FROM ${this.database}.baselines ${where} GROUP BY name ORDER BY name`);
    return rows.map((r) => ({
      name: String(r.n), createdAt: Number(r.c), windowFrom: Number(r.f), windowTo: Number(r.t), doc: String(r.d), deleted: Number(r.x), version: Number(r.v),
    }));
  }

  private insert(row: BaselineRow, deleted: 0 | 1, version: number): void {
    const n = (x: number) => String(Math.trunc(x));
    this.sql.call('command', `INSERT INTO ${this.database}.baselines (name, created_at, window_from, window_to, doc, deleted, version) VALUES
      (${sqlString(row.name)}, ${n(row.createdAt)}, ${n(row.windowFrom)}, ${n(row.windowTo)}, ${sqlString(row.doc)}, ${deleted}, ${n(version)})`);
  }
}
