import type { Rollup } from '../aggregate/rollup-rows.js';
import { OplensError } from '../errors.js';
import type { CheckpointPosition } from './checkpoints.js';
import type { EncodedChunk } from './event-chunks.js';

export interface QuarantineEntry {
  file: string;
  line: number;
  offset: number;
  reason: string;
  snippet: string;
}

/** What one stream read since its last commit, already aggregated (see pipeline/process-segment.ts). */
export interface Batch {
  parts: Array<{ rollup: Rollup; chunks: EncodedChunk[] }>;
  quarantine: QuarantineEntry[];
  events: number;
  /** The stream's checkpoint (none for stdin), the offset this batch starts at, and where it ends. */
  fileId: number | null;
  startOffset: number;
  position: CheckpointPosition | null;
  /** Requests waiting for their finish line at `position` (the join stage's state, kept as it is given). */
  joinState?: unknown;
}

/** Writes a batch (raw event chunks, rollups, error groups, quarantine) and its checkpoint as one unit. */
export interface BatchWriter {
  /** Throws ConcurrentIngestError when another process committed part of this stream since `startOffset`. */
  commit(b: Batch): void;
}

/** How many distinct names and dimension values a writer takes before it folds new ones (config `ingest`, `dimensions`). */
export interface NameCaps {
  maxNames?: number;
  maxValues?: number;
}

/** Another process committed part of this file first (two ingests at once): this one leaves the file to it. */
export class ConcurrentIngestError extends OplensError {}

/** Distinct operation (and source) names a store takes before new ones are folded; config `ingest.maxOperations`. */
export const DEFAULT_MAX_NAMES = 10_000;
