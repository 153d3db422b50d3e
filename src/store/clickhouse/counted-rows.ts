import type { Columns } from './columns.js';
import type { FleetConnection } from './connection.js';
import { sqlString } from './sql-string.js';

/** Stands in a query for the condition that a row counts; the query worker puts the condition in (CountedRows). */
const MARK = '__oplens_counted_rows__';
/** Enclose the part of a query that reads attempts shipped without hour rows; LIST stands for those attempts. */
const UNROLLED_OPEN = '__oplens_unrolled_open__';
const UNROLLED_CLOSE = '__oplens_unrolled_close__';
const UNROLLED_LIST = '__oplens_unrolled_list__';

type Attempt = [string, number, number];

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
 * A part of a query for the attempts shipped before hour rows (schema.ts, version 4): `part` gets the SQL list of
 * those attempts' (source, batch, attempt) to match. The part is left out of the query when there are none.
 */
export function unrolledPart(part: (attempts: string) => string): string {
  return `${UNROLLED_OPEN}${part(UNROLLED_LIST)}${UNROLLED_CLOSE}`;
}

/**
 * Runs queries whose rows that count are marked by `counted`. `voided` gets rows only after a shipper was killed or
 * cut off mid-batch, so it is nearly always empty or small: rather than have every query read it again and look
 * every row's (source, batch, attempt) up in it, the worker reads it once and writes it into each query as a
 * literal list (nothing at all when it is empty), guarded by its row count as of that read — `voided` only ever
 * grows, so an equal count is the same list. When a shipper voids an attempt meanwhile, the guard fails the
 * query before it reads anything; the list is read again and the query sent again.
 *
 * The attempts shipped without hour rows (`unrolledPart`) are read and guarded alike: a fleet upgraded from
 * schema 3 keeps its old ones, a shipper of this version adds none (an older one still running may add some), and
 * on a fleet that never had any, every hour read goes without the part that derives them from minute rows.
 */
export class CountedRows {
  private lists: { voided: Attempt[]; unrolled: Attempt[] } | null = null;

  constructor(private readonly conn: FleetConnection) {}

  async query(sql: string): Promise<Columns> {
    if (!sql.includes(MARK)) return this.conn.queryColumns(sql);
    for (let tries = 1; ; tries++) {
      const lists = (this.lists ??= await this.read());
      try {
        return await this.conn.queryColumns(this.written(sql, lists));
      } catch (e) {
        if (tries >= 5 || !/throwIf/.test(String((e as Error).message))) throw e;
        this.lists = null;
      }
    }
  }

  /** Reads the lists now: the worker does it while the command starts up. */
  async load(): Promise<void> {
    this.lists ??= await this.read();
  }

  private async read(): Promise<{ voided: Attempt[]; unrolled: Attempt[] }> {
    const rows = await this.conn.query<{ k: string; s: string; b: number; a: number }>(
      `SELECT 'v' AS k, source AS s, batch AS b, attempt AS a FROM ${this.conn.table('voided')}
       UNION ALL SELECT 'u' AS k, source AS s, batch AS b, attempt AS a FROM ${this.conn.table('shipments')} WHERE ${UNROLLED}`,
    );
    const of = (k: string): Attempt[] => rows.filter((r) => r.k === k).map((r) => [r.s, Number(r.b), Number(r.a)]);
    return { voided: of('v'), unrolled: of('u') };
  }

  /** `sql` with its marks replaced: the condition that a row counts, and the unrolled attempts' part or nothing. */
  private written(sql: string, { voided, unrolled }: { voided: Attempt[]; unrolled: Attempt[] }): string {
    const withUnrolled = sql.includes(UNROLLED_OPEN);
    const parts = sql.split(UNROLLED_OPEN).map((p, i) => {
      if (i === 0) return p;
      const [part, rest] = p.split(UNROLLED_CLOSE);
      return (unrolled.length ? part.split(UNROLLED_LIST).join(`(${tuples(unrolled)})`) : '') + rest;
    });
    let guard = `(SELECT count() FROM ${this.conn.table('voided')}) != ${voided.length}`;
    if (withUnrolled) guard += ` OR (SELECT count() FROM ${this.conn.table('shipments')} WHERE ${UNROLLED}) != ${unrolled.length}`;
    const condition = `throwIf(${guard}) = 0${voided.length ? ` AND (source, batch, attempt) NOT IN (${tuples(voided)})` : ''}`;
    return parts.join('').split(MARK).join(condition);
  }
}

/** The ledger rows of attempts shipped without hour rows: one 'started' row each (hour_rows reads 0 on older rows). */
const UNROLLED = `state = 'started' AND hour_rows = 0`;

function tuples(attempts: Attempt[]): string {
  return attempts.map(([s, b, a]) => `(${sqlString(s)}, ${b}, ${a})`).join(', ');
}
