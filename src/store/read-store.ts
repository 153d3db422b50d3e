import type { BaselineRow } from './sqlite/baselines.js';
import { getBaseline, listBaselines } from './sqlite/baselines.js';
import type { Db } from './sqlite/open-store.js';
import type { StoreQueries } from './queries.js';
import { sqliteQueries } from './sqlite/sqlite-queries.js';

/** Named baselines as the analysis reads them. */
export interface BaselineReader {
  get(name: string): BaselineRow | undefined;
  names(): string[];
}

/** Everything the analysis reads from a store, local (SQLite) or fleet (ClickHouse). */
export interface ReadStore {
  queries: StoreQueries;
  baselines: BaselineReader;
}

export function sqliteBaselines(db: Db): BaselineReader {
  return { get: (name) => getBaseline(db, name), names: () => listBaselines(db).map((b) => b.name) };
}

export function sqliteReadStore(db: Db): ReadStore {
  return { queries: sqliteQueries(db), baselines: sqliteBaselines(db) };
}
