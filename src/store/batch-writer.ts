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

/** Where names past the cap go. */
export const OTHER_NAMES = { op: '(other operations)', source: '(other sources)' } as const;

export type NameKind = keyof typeof OTHER_NAMES;
/** The store's counter key of a dimension's folded values is this prefix and the dimension's name. */
export const FOLDED_VALUES = 'folded_values:';

/**
 * For each kind of name whose cap the store has reached, the names it holds: every other name of that kind is
 * folded. Readers fold those before aggregating, so a log of ids makes one row per minute, not one per id.
 */
export type FullNames = Partial<Record<NameKind, ReadonlySet<string>>>;

/** Events already aggregated, and how many distinct names were folded into OTHER_NAMES before that (counted). */
export interface BatchPart {
  rollup: Rollup;
  chunks: EncodedChunk[];
  folded?: Partial<Record<NameKind, number>>;
}

/** What one stream read since its last commit, already aggregated (see pipeline/process-segment.ts). */
export interface Batch {
  parts: BatchPart[];
  quarantine: QuarantineEntry[];
  events: number;
  /** The stream's checkpoint (none for stdin), the offset this batch starts at, and where it ends. */
  fileId: number | null;
  startOffset: number;
  position: CheckpointPosition | null;
  /** Requests waiting for their finish line at `position` (the join stage's state, kept as it is given). */
  joinState?: unknown;
  /**
   * A batch without a position that only ends a stream's waiting requests: the join state it started from, which
   * must still be the stored one (else another process ended them first).
   */
  joinFrom?: unknown;
}

/** Writes a batch (raw event chunks, rollups, error groups, quarantine) and its checkpoint as one unit. */
export interface BatchWriter {
  /** Throws ConcurrentIngestError when another process committed part of this stream since `startOffset`. */
  commit(b: Batch): void;
  /** The kinds of names whose cap is reached, with the names the store holds; a new object only when it changes. */
  fullNames(): FullNames;
  /**
   * Whether fullNames() may still change: true until a commit adds no new name. Segments parsed meanwhile cannot
   * fold the names past a cap that is not yet reached.
   */
  namesGrowing(): boolean;
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
