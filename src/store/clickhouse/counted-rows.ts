import type { Columns } from './columns.js';
import { sqlString, type FleetConnection } from './connection.js';

/** Stands in a query for the condition that a row counts; the query worker puts the condition in (CountedRows). */
const MARK = '__oplens_counted_rows__';

/**
 * `FROM`-part of a data table of `database`: its rows that count, so a caller appends ` AND …`. Rows of voided
 * attempts do not count (ship protocol, shipment-writer.ts).
 */
export function counted(database: string, table: string): string {
  return `${database}.${table} WHERE ${MARK}`;
}

/** As `counted`, of the rows that meet `prewhere`, a condition read first and alone (PREWHERE). */
export function countedWhere(database: string, table: string, prewhere: string): string {
  return `${database}.${table} PREWHERE ${prewhere} WHERE ${MARK}`;
}

/**
 * Runs queries whose rows that count are marked by `counted`. `voided` gets rows only after a shipper was killed or
 * cut off mid-batch, so it is nearly always empty or small: rather than have every query read it again and look
 * every row's (source, batch, attempt) up in it, the worker reads it once and writes it into each query as a
 * literal list (nothing at all when it is empty), guarded by its row count as of that read — `voided` only ever
 * grows, so an equal count is the same list. When a shipper voids an attempt meanwhile, the guard fails the
 * query before it reads anything; the list is read again and the query sent again.
 */
export class CountedRows {
  private voided: Array<[string, number, number]> | null = null;

  constructor(private readonly conn: FleetConnection) {}

  async query(sql: string): Promise<Columns> {
    if (!sql.includes(MARK)) return this.conn.queryColumns(sql);
    for (let tries = 1; ; tries++) {
      const voided = (this.voided ??= await this.read());
      try {
        return await this.conn.queryColumns(sql.split(MARK).join(this.condition(voided)));
      } catch (e) {
        if (tries >= 5 || !/throwIf/.test(String((e as Error).message))) throw e;
        this.voided = null;
      }
    }
  }

  /** Reads the list now: the worker does it while the command starts up. */
  async load(): Promise<void> {
    this.voided ??= await this.read();
  }

  private async read(): Promise<Array<[string, number, number]>> {
    const rows = await this.conn.query<{ s: string; b: number; a: number }>(`SELECT source AS s, batch AS b, attempt AS a FROM ${this.conn.table('voided')}`);
    return rows.map((r) => [r.s, Number(r.b), Number(r.a)]);
  }

  private condition(voided: Array<[string, number, number]>): string {
    const guard = `throwIf((SELECT count() FROM ${this.conn.table('voided')}) != ${voided.length}) = 0`;
    if (!voided.length) return guard;
    return `${guard} AND (source, batch, attempt) NOT IN (${voided.map(([s, b, a]) => `(${sqlString(s)}, ${b}, ${a})`).join(', ')})`;
  }
}
