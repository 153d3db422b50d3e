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
}

/** An event whose source has been settled (the line's own, or the file's label). */
export type SourcedEvent = OpEvent & { source: string };

/** Attribute names with a fixed meaning in rollups (resource peaks, concurrency, retries). */
export const RESOURCE_ATTRS = ['memoryMb', 'cpuPercent', 'concurrency'] as const;
export type ResourceAttr = (typeof RESOURCE_ATTRS)[number];
export const RETRIES_ATTR = 'retries';
