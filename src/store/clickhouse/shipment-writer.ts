import type { FleetConnection } from './connection.js';
import { rowSuffix } from './events-rowbinary.js';
import { sqlString } from './sql-string.js';
import { tableDef } from './schema.js';

/**
 * One table's rows of a batch, each in the table's column order without the trailing source, batch, attempt: as
 * arrays of values, or (for the many rows of raw events) in RowBinary built by `rowBinary`, whose every row ends in
 * the `suffix` it is given (the encoded trailing fields).
 */
export type TableRows = { table: string; rows: Iterable<unknown[]> } | { table: string; rowBinary: (suffix: Uint8Array) => Iterable<Uint8Array> };

/** What a confirmed batch covered, recorded in its 'done' row so a shipper that lost its confirmation can adopt it. */
export interface BatchExtent {
  chunkTo: number;
  quarantineTo: number;
  events: number;
  /** When the shipping store last committed a file's batch (its lastIngest), or null. */
  lastIngest: number | null;
  /** The store's folded-name counters as of the batch. */
  folded: Array<[string, number]>;
  /** Set on the first batch of a store pruned before it first shipped (see schema.ts, shipments.raw_from). */
  rawFrom: number | null;
  rawOnlyTo: number;
}

export interface BatchRecord {
  /** The confirmed attempt's extent, or null when no attempt finished. */
  done: BatchExtent | null;
  /** Every attempt that was started for the batch. */
  attempts: number[];
}

/**
 * The target side of the ship protocol. A batch is (source, batch number); each try at sending it is an attempt
 * with a number larger than any before. An attempt
 *   1. voids every earlier attempt of the batch that did not finish (its rows may be partly in, across tables,
 *      partitions and shards: an INSERT is not atomic across them), then
 *   2. writes its 'started' row, then the data tables, then its 'done' row.
 * Readers skip voided attempts' rows, so each event counts once whatever was interrupted: a batch whose 'done' row
 * is in is never sent again (the shipper adopts it), and a batch without one is sent whole by a new attempt.
 */
export class ShipmentWriter {
  constructor(private readonly conn: FleetConnection) {}

  async find(source: string, batch: number): Promise<BatchRecord> {
    const rows = await this.conn.query<{
      attempt: number; state: string; chunk_to: number; quarantine_to: number; events: number; last_ingest: number | null;
      folded_keys: string[]; folded_counts: number[]; raw_from: number | null; raw_only_to: number;
    }>(
      `SELECT attempt, state, chunk_to, quarantine_to, events, last_ingest, folded_keys, folded_counts, raw_from, raw_only_to
       FROM ${this.conn.table('shipments')} WHERE source = ${sqlString(source)} AND batch = ${int(batch)} ORDER BY attempt`,
    );
    const done = rows.find((r) => r.state === 'done');
    return {
      done: done ? {
        chunkTo: done.chunk_to, quarantineTo: done.quarantine_to, events: done.events, lastIngest: done.last_ingest,
        folded: done.folded_keys.map((k, i) => [k, done.folded_counts[i]]), rawFrom: done.raw_from, rawOnlyTo: done.raw_only_to,
      } : null,
      attempts: [...new Set(rows.map((r) => r.attempt))],
    };
  }

  async send(source: string, batch: number, attempt: number, unfinished: number[], tables: TableRows[], extent: BatchExtent): Promise<void> {
    if (unfinished.length) await this.conn.insert(tableDef('voided'), unfinished.map((a) => [source, batch, a]));
    await this.conn.insert(tableDef('shipments'), [this.ledgerRow(source, batch, attempt, 'started', extent)]);
    // The data tables at once: 'done' follows all of them, and until then none of their rows is confirmed.
    await Promise.all(tables.map((t) => ('rowBinary' in t
      ? this.conn.insertRowBinary(tableDef(t.table), t.rowBinary(rowSuffix(source, batch, attempt)))
      : this.conn.insert(tableDef(t.table), tagged(t.rows, source, batch, attempt)))));
    await this.conn.insert(tableDef('shipments'), [this.ledgerRow(source, batch, attempt, 'done', extent)]);
  }

  private ledgerRow(source: string, batch: number, attempt: number, state: string, e: BatchExtent): unknown[] {
    return [
      source, batch, attempt, state, e.chunkTo, e.quarantineTo, e.events, e.lastIngest, Date.now(),
      e.folded.map(([k]) => k), e.folded.map(([, n]) => n), e.rawFrom, e.rawOnlyTo,
      1, // hour_rows: the attempt ships its hour_stats rows (schema.ts, version 4)
    ];
  }
}

function* tagged(rows: Iterable<unknown[]>, source: string, batch: number, attempt: number): Generator<unknown[]> {
  for (const r of rows) {
    r.push(source, batch, attempt);
    yield r;
  }
}

function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
}
