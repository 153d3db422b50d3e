import { StoreError } from '../errors.js';
import type { FleetConnection } from '../store/clickhouse/connection.js';
import { ShipmentWriter } from '../store/clickhouse/shipment-writer.js';
import type { ShipState } from '../store/ship-outbox.js';
import type { IngestStore } from '../store/store.js';
import { batchRows } from './batch-rows.js';
import { DEFAULT_BATCH_EVENTS } from './batch-size.js';

export interface ShipOptions {
  /** The host's name in the fleet (`--source`). */
  source: string;
  /** Events per batch (whole raw chunks, so a batch may hold a few more). */
  batchEvents?: number;
  /** Called after each confirmed batch. */
  onBatch?: (p: ShipProgress) => void;
  /** Checked between batches: true stops after the batch in flight. */
  stopped?: () => boolean;
}

export interface ShipProgress {
  batch: number;
  events: number;
  /** Events shipped by this call so far. */
  shipped: number;
  /** Events still waiting locally. */
  pending: number;
}

export interface ShipResult {
  batches: number;
  events: number;
  quarantined: number;
  /** Batches a previous run had sent completely but not yet recorded here. */
  adopted: number;
}


/** The local store a ship reads: what it committed, and its shipping record. */
export type ShipSource = Pick<IngestStore, 'queries' | 'outbox'>;

/**
 * Sends everything committed locally that the target has not confirmed, batch by batch, then returns. Safe to kill
 * at any point and to run again: see ShipmentWriter for the target side, ShipOutbox for the local side.
 */
export async function shipStore(local: ShipSource, conn: FleetConnection, opts: ShipOptions): Promise<ShipResult> {
  const target = conn.target.display;
  const ledger = local.outbox;
  let state = ledger.acquire(target, opts.source);
  try {
    assertShippable(local, state);
    const writer = new ShipmentWriter(conn);
    const result: ShipResult = { batches: 0, events: 0, quarantined: 0, adopted: 0 };
    while (!opts.stopped?.()) {
      const batch = state.batch + 1;
      const record = await writer.find(state.source, batch);
      if (record.done) {
        // A previous run's batch that the target confirmed after that run was killed: take it as it is.
        ledger.confirm(target, batch, record.done.chunkTo, record.done.quarantineTo, record.done.events);
        result.adopted++;
      } else {
        const next = ledger.read(state.chunkCursor, state.quarantineCursor, opts.batchEvents ?? DEFAULT_BATCH_EVENTS);
        if (!next.chunks.length && !next.quarantine.length) break;
        const attempt = Math.max(state.attempt, ...record.attempts) + 1;
        ledger.useAttempt(target, attempt);
        const extent = { chunkTo: next.chunkTo, quarantineTo: next.quarantineTo, events: next.events, lastIngest: local.queries.lastIngest() };
        await writer.send(state.source, batch, attempt, record.attempts, batchRows(next, state.source), extent);
        ledger.confirm(target, batch, next.chunkTo, next.quarantineTo, next.events);
        result.batches++;
        result.events += next.events;
        result.quarantined += next.quarantine.length;
      }
      state = ledger.get(target)!;
      opts.onBatch?.({ batch, events: state.events, shipped: result.events, pending: ledger.waiting(state.chunkCursor) });
    }
    return result;
  } finally {
    ledger.release(target);
  }
}

/**
 * Events whose raw chunks were pruned before this target's first batch exist only as rollups here; the fleet is
 * built from raw events, so shipping would silently leave them out.
 */
function assertShippable(local: ShipSource, state: ShipState): void {
  const pruned = local.queries.rawPrunedBefore();
  if (pruned !== null && state.batch === 0) {
    throw new StoreError(
      `raw events before ${new Date(pruned).toISOString()} were pruned before this store was first shipped to ${state.target}; the fleet is built from raw events`,
      'ship from a store that still holds its raw events (re-ingest the logs into a new --db), or ship before pruning',
    );
  }
}
