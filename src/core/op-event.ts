/** Extra facts a line may carry; numeric ones feed resource and concurrency analysis. */
export type Attrs = Record<string, string | number | boolean>;

/** The canonical event every format adapter produces (DESIGN.md "The canonical event"). */
export interface OpEvent {
  /** Epoch milliseconds, UTC. */
  ts: number;
  /** Operation, endpoint or span name. */
  op: string;
  /** Milliseconds; null when the line carries no duration. */
  durationMs: number | null;
  ok: boolean;
  /** Set for failed events: given by the log or classified. */
  errorCategory?: string;
  errorCode?: string;
  errorMessage?: string;
  /** Service, host or file the line came from; the file's source label when the line names none. */
  source?: string;
  attrs?: Attrs;
  /**
   * Low-cardinality text fields of the line (host, version, region, status, method …) that slice the events:
   * `--group-by`, `--where` and attribution read them. Chosen once per file (src/ingest/dimensions.ts).
   */
  dims?: Record<string, string>;
}

/** An event whose source has been settled (the line's own, or the file's label). */
export type SourcedEvent = OpEvent & { source: string };

/** Attribute names with a fixed meaning in rollups (resource peaks, concurrency, retries). */
export const RESOURCE_ATTRS = ['memoryMb', 'cpuPercent', 'concurrency'] as const;
export type ResourceAttr = (typeof RESOURCE_ATTRS)[number];
export const RETRIES_ATTR = 'retries';

/** Distinct values a dimension keeps in a store unless config `dimensions.maxValues` says otherwise. */
export const DEFAULT_MAX_DIMENSION_VALUES = 100;
