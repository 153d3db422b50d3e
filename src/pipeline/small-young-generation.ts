import v8 from 'node:v8';

/** Each parsing worker's young generation (MB per semi-space): a segment's events die in it, as with V8's default. */
const WORKER_SEMI_SPACE_MB = 6;

/**
 * Keeps the young generations of a long read (ingest, watch) at a fixed size. By default V8 doubles a young
 * generation whenever enough of it survives: up to 32 MB on the main thread, whose batch objects live until their
 * commit anyway, and 16 MB in each parsing worker: together 40–60 MB of peak memory. The main thread keeps the
 * size it started with; each worker starts at WORKER_SEMI_SPACE_MB, enough that a segment's objects die young.
 *
 * The growth factor is process-wide and read at each growth, but starting a worker thread resets V8's flags: the
 * command sets it before it starts work, and each worker again once it runs (segment-worker.ts).
 */
export function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

/** Before a worker thread starts: the size its young generation starts at (and, with the factor above, keeps). */
export function sizeWorkerYoungGeneration(): void {
  v8.setFlagsFromString(`--min-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
}
