import type { FleetConnection } from '../store/clickhouse/connection.js';
import { ShipmentWriter, type BatchExtent } from '../store/clickhouse/shipment-writer.js';
import type { IngestStore } from '../store/store.js';
import { batchRows, rollupRows, type RawOnly } from './batch-rows.js';
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
  /** Events still waiting locally (counted when asked: a count over the unshipped chunks). */
  pending(): number;
}

export interface ShipResult {
  batches: number;
  events: number;
  quarantined: number;
  /** Batches a previous run had sent completely but not yet recorded here. */
  adopted: number;
  /**
   * Set when this run made the first shipment of a store whose older raw events had been pruned: the events
   * before `before` shipped as their rollups only.
   */
  rollupsOnly: { before: number; events: number } | null;
}


/** The local store a ship reads: what it committed, and its shipping record. */
export type ShipSource = Pick<IngestStore, 'queries' | 'outbox'>;

/**
 * Sends everything committed locally that the target has not confirmed, batch by batch, then returns. Safe to kill
 * at any point and to run again: see ShipmentWriter for the target side, ShipOutbox for the local side.
 *
 * A store whose raw events were pruned before its first shipment still has the rollups of those hours: its first
 * batch ships them (nothing is lost, only the raw detail), and the raw chunks those rollups already count ship
 * later as raw events only (RawOnly), so no event counts twice.
 */
export async function shipStore(local: ShipSource, conn: FleetConnection, opts: ShipOptions): Promise<ShipResult> {
  const target = conn.target.display;
  const ledger = local.outbox;
  let state = ledger.acquire(target, opts.source);
  try {
    const writer = new ShipmentWriter(conn);
    const result: ShipResult = { batches: 0, events: 0, quarantined: 0, adopted: 0, rollupsOnly: null };
    let rawOnly = state.batch >= 1 ? rawOnlyOf((await writer.find(state.source, 1)).done) : null;
    while (!opts.stopped?.()) {
      const batch = state.batch + 1;
      const record = await writer.find(state.source, batch);
      const attempt = () => {
        const a = Math.max(state.attempt, ...record.attempts) + 1;
        ledger.useAttempt(target, a);
        return a;
      };
      const lastIngest = local.queries.lastIngest();
      const pruned = batch === 1 ? local.queries.rawPrunedBefore() : null;
      if (record.done) {
        // A previous run's batch that the target confirmed after that run was killed: take it as it is.
        ledger.confirm(target, batch, record.done.chunkTo, record.done.quarantineTo, record.done.events);
        if (batch === 1) rawOnly = rawOnlyOf(record.done);
        result.adopted++;
      } else if (pruned !== null) {
        const r = ledger.rollupsBefore(pruned);
        const extent = {
          chunkTo: state.chunkCursor, quarantineTo: state.quarantineCursor, events: r.prunedEvents, lastIngest,
          folded: r.folded, rawFrom: pruned, rawOnlyTo: r.chunkTo,
        };
        await writer.send(state.source, batch, attempt(), record.attempts, rollupRows(r.rollup), extent);
        ledger.confirm(target, batch, state.chunkCursor, state.quarantineCursor, r.prunedEvents);
        rawOnly = { before: pruned, chunkTo: r.chunkTo };
        result.rollupsOnly = { before: pruned, events: r.prunedEvents };
        result.batches++;
        result.events += r.prunedEvents;
      } else {
        const next = ledger.read(state.chunkCursor, state.quarantineCursor, opts.batchEvents ?? DEFAULT_BATCH_EVENTS);
        if (!next.chunks.length && !next.quarantine.length) break;
        const extent = { chunkTo: next.chunkTo, quarantineTo: next.quarantineTo, events: next.events, lastIngest, folded: next.folded, rawFrom: null, rawOnlyTo: 0 };
        await writer.send(state.source, batch, attempt(), record.attempts, batchRows(next, state.source, rawOnly), extent);
        ledger.confirm(target, batch, next.chunkTo, next.quarantineTo, next.events);
        result.batches++;
        result.events += next.events;
        result.quarantined += next.quarantine.length;
      }
      state = ledger.get(target)!;
      const cursor = state.chunkCursor;
      opts.onBatch?.({ batch, events: state.events, shipped: result.events, pending: () => ledger.waiting(cursor) });
    }
    return result;
  } finally {
    ledger.release(target);
  }
}

/** What a first shipment of a store pruned before it could not send, said once (also under --quiet). */
export function rollupsOnlyNotice(r: { before: number; events: number }): string {
  const at = new Date(r.before).toISOString().replace(':00.000Z', 'Z');
  return `oplens: raw events before ${at} had been pruned before this store first shipped: ${r.events.toLocaleString('en-US')} events ` +
    `of those hours shipped as their rollups only (minute counts, hourly histograms, error groups); the fleet answers windows before ${at} ` +
    'from them as this store does, without --exact, --where, --group-by on a field or the slowest events';
}

/** The raw-only rule a store's first batch set, if it shipped rollups of pruned hours. */
function rawOnlyOf(first: BatchExtent | null): RawOnly | null {
  return first && first.rawFrom !== null ? { before: first.rawFrom, chunkTo: first.rawOnlyTo } : null;
}
