import type { Db } from './open-store.js';

export interface BaselineRow {
  name: string;
  createdAt: number;
  windowFrom: number;
  windowTo: number;
  /** The saved KPIs as JSON (the analysis stage owns its shape). */
  doc: string;
}

export function listBaselines(db: Db): Array<Omit<BaselineRow, 'doc'>> {
  return db.prepare('SELECT name, created_at AS createdAt, window_from AS windowFrom, window_to AS windowTo FROM baselines ORDER BY name').all() as Array<Omit<BaselineRow, 'doc'>>;
}

export function getBaseline(db: Db, name: string): BaselineRow | undefined {
  return db.prepare('SELECT name, created_at AS createdAt, window_from AS windowFrom, window_to AS windowTo, doc FROM baselines WHERE name = ?').get(name) as BaselineRow | undefined;
}

/** Inserts, or replaces when `replace` is set; returns false when the name exists and may not be replaced. */
export function putBaseline(db: Db, row: BaselineRow, replace: boolean): boolean {
  const sql = `INSERT ${replace ? 'OR REPLACE ' : 'OR IGNORE '}INTO baselines (name, created_at, window_from, window_to, doc) VALUES (?, ?, ?, ?, ?)`;
  return db.prepare(sql).run(row.name, row.createdAt, row.windowFrom, row.windowTo, row.doc).changes > 0;
}

export function deleteBaseline(db: Db, name: string): boolean {
  return db.prepare('DELETE FROM baselines WHERE name = ?').run(name).changes > 0;
}
