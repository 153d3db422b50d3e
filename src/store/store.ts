import type { BatchWriter, NameCaps } from './batch-writer.js';
import type { Checkpoint, Checkpoints } from './checkpoints.js';
import type { BaselineReader, BaselineRow, ReadStore } from './read-store.js';
import type { ShipOutbox } from './ship-outbox.js';

/**
 * A store as the commands use it, whatever the engine: read it (ReadStore), keep named baselines, report its
 * status, prune raw events. The SQLite store (sqlite/) is one implementation; a fleet engine is another. Each engine
 * maps its driver's failures to StoreError (errors.ts), so nothing above the store knows its error codes.
 *
 * The interfaces are synchronous: the analysis is CPU work over small query results, read in plain loops, and a
 * store with an asynchronous client answers through a worker (clickhouse/sync-queries.ts). Only close() waits.
 */
export interface Store extends ReadStore, StatusStore {
  readonly baselines: Baselines;
  /** Deletes raw events stamped before `cutoff` (rounded down to the hour); the rollups stay. */
  pruneRawEvents(cutoff: number): PruneResult;
  /** Gives freed space back to the file system (slow on a large store, so asked for). */
  compact(): void;
}

/** What `status` reads of a store: an engine can open it without loading its writer or its analysis queries. */
export interface StatusStore {
  /** Where the store is, as the user named it (a path or a URL without credentials), for messages. */
  readonly location: string;
  status(): StoreStatus;
  /** Checks everything the store holds (slow: it reads all of it), for `status --check`. */
  checkIntegrity(): IntegrityReport;
  close(): Promise<void>;
}

/**
 * The store ingest and watch write into. Its side is synchronous on purpose: a batch and its checkpoint commit in
 * one local transaction, and finding or creating a checkpoint is atomic against another process reading the same
 * file. This local store is also the durable queue a fleet store is fed from (`outbox`).
 */
export interface IngestStore extends Store {
  readonly checkpoints: Checkpoints;
  /** A writer that folds names past the caps into one bucket each (counted and reported). */
  batchWriter(caps?: NameCaps): BatchWriter;
  readonly outbox: ShipOutbox;
}

export interface StoreStatus {
  db: { path: string; bytes: number; schemaVersion: number };
  events: number;
  rawEvents: number;
  range: { from: number; to: number } | null;
  sources: Array<{ name: string; events: number }>;
  operations: number;
  quarantined: number;
  quarantineReasons: Array<{ reason: string; count: number }>;
  files: Checkpoint[];
  /** A fleet store: what each host has shipped (its confirmed batches, their events, the last one's time). */
  shipped?: Array<{ source: string; batches: number; events: number; lastShippedAt: number }>;
}

/**
 * What `status --check` found: damaged pages (the engine's own check) and raw-event chunks that do not decode; on a
 * fleet store, the schema, ClickHouse's own table checks and the shipped batches against their ledger (`problems`).
 */
export interface IntegrityReport {
  ok: boolean;
  pages: string[];
  chunks: Array<{ id: number; message: string }>;
  problems?: string[];
  /** What was checked, in words (a fleet store: what its server could and could not check). */
  checked?: string;
  /** What to do about it, when damaged. */
  hint?: string;
}

export interface PruneResult {
  /** Raw events deleted. */
  deleted: number;
  /** Raw events before this instant are gone (never earlier than a previous prune's). */
  prunedBefore: number;
}

/** Named baselines (`oplens baseline save|list|rm`). */
export interface Baselines extends BaselineReader {
  /** Inserts, or replaces when `replace` is set; false when the name exists and may not be replaced. */
  put(row: BaselineRow, replace: boolean): boolean;
  /** False when there is no such baseline. */
  delete(name: string): boolean;
}
