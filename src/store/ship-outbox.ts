import type { Rollup } from '../aggregate/rollup-rows.js';
import type { QuarantineEntry } from './batch-writer.js';
import type { RawChunk } from './event-chunks.js';

/** How far one target has confirmed this store's data. */
export interface ShipState {
  target: string;
  source: string;
  /** The last batch the target confirmed complete; 0 before the first. */
  batch: number;
  /** Positions of the last raw chunk and quarantined line in a confirmed batch. */
  chunkCursor: number;
  quarantineCursor: number;
  /** The last attempt number used for this target (attempts only grow). */
  attempt: number;
  /** Events confirmed so far. */
  events: number;
}

/** Committed rows a target has not confirmed yet, in commit order: whole chunks up to about `maxEvents` events. */
export interface Unshipped {
  /** Each chunk with its position and the hour its events lie in. */
  chunks: Array<RawChunk & { id: number; hour: number }>;
  quarantine: Array<QuarantineEntry & { at: number }>;
  events: number;
  /** Positions of the last rows read (the cursors a confirmation moves to). */
  chunkTo: number;
  quarantineTo: number;
  /** The store's counts of names folded past its caps (folded_ops, folded_sources, folded_values:DIM), as of this read. */
  folded: Array<[string, number]>;
}

/** The rollups of the hours whose raw events were pruned, for the first shipment of a pruned store. */
export interface RollupsBefore {
  /** Raw events start here (an hour boundary); the rollups are those of every minute and hour before it. */
  before: number;
  rollup: Rollup;
  /** Events the rollups count that are no longer stored raw. */
  prunedEvents: number;
  /** The last raw chunk at the time of the read: raw chunks up to it that lie before `before` are in the rollups. */
  chunkTo: number;
  folded: Array<[string, number]>;
}

/**
 * A local store's side of shipping (`oplens ship`, `watch --ship`): what it committed and no target has confirmed,
 * and per target how far it has. A confirmation is committed locally after the target has the batch, so a kill at
 * any point leaves either the old or the new position, never a mix.
 */
export interface ShipOutbox {
  /**
   * Takes the target for this process, creating its record on first use. A second shipper for the same target
   * while the first one lives is refused: two would race for the same batch numbers.
   */
  acquire(target: string, source: string): ShipState;
  release(target: string): void;
  /** Records an attempt number before the attempt sends anything, so a later attempt always gets a larger one. */
  useAttempt(target: string, attempt: number): void;
  /** Commits a batch the target confirmed. */
  confirm(target: string, batch: number, chunkCursor: number, quarantineCursor: number, events: number): void;
  get(target: string): ShipState | undefined;
  /** The next batch after the cursors, read from one committed state. */
  read(chunkCursor: number, quarantineCursor: number, maxEvents: number): Unshipped;
  /** The rollups before `before` and the raw chunks they cover, read from one committed state. */
  rollupsBefore(before: number): RollupsBefore;
  /** Events held raw after `chunkCursor`, for progress and for "how far behind". */
  waiting(chunkCursor: number): number;
}
