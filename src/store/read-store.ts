import type { StoreQueries } from './queries.js';

export interface BaselineRow {
  name: string;
  createdAt: number;
  windowFrom: number;
  windowTo: number;
  /** The saved KPIs as JSON (the analysis stage owns its shape). */
  doc: string;
}

export type BaselineInfo = Omit<BaselineRow, 'doc'>;

/** Named baselines as the analysis reads them. */
export interface BaselineReader {
  get(name: string): BaselineRow | undefined;
  /** Every baseline, by name. */
  list(): BaselineInfo[];
}

/** Everything the analysis reads from a store, local (SQLite) or fleet (ClickHouse). */
export interface ReadStore {
  queries: StoreQueries;
  baselines: BaselineReader;
}
