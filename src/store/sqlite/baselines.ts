import type { BaselineInfo, BaselineRow } from '../read-store.js';
import type { Baselines } from '../store.js';
import type { Db } from './open-store.js';

export class SqliteBaselines implements Baselines {
  constructor(private readonly db: Db) {}

  list(): BaselineInfo[] {
    return this.db.prepare('SELECT name, created_at AS createdAt, window_from AS windowFrom, window_to AS windowTo FROM baselines ORDER BY name').all() as BaselineInfo[];
  }

  get(name: string): BaselineRow | undefined {
    return this.db.prepare('SELECT name, created_at AS createdAt, window_from AS windowFrom, window_to AS windowTo, doc FROM baselines WHERE name = ?').get(name) as BaselineRow | undefined;
  }

  put(row: BaselineRow, replace: boolean): boolean {
    const sql = `INSERT ${replace ? 'OR REPLACE ' : 'OR IGNORE '}INTO baselines (name, created_at, window_from, window_to, doc) VALUES (?, ?, ?, ?, ?)`;
    return this.db.prepare(sql).run(row.name, row.createdAt, row.windowFrom, row.windowTo, row.doc).changes > 0;
  }

  delete(name: string): boolean {
    return this.db.prepare('DELETE FROM baselines WHERE name = ?').run(name).changes > 0;
  }
}
