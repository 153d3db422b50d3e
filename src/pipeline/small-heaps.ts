import v8 from 'node:v8';

/** Each parsing worker's young generation (MB per semi-space): a segment's events die in it, as with V8's default. */
const WORKER_SEMI_SPACE_MB = 6;
/**
 * How far an old generation may grow past what survived its last full collection before the next one, in percent
 * (by default V8 picks a factor from its collection speed and heap limit; it grows by a few MB at least either way).
 */
const OLD_SPACE_GROWTH_PERCENT = 20;

/**
 * Keeps the heaps of a long read (ingest, watch) small. By default V8 doubles a young generation whenever enough of
 * it survives: up to 32 MB on the main thread, whose batch objects live until their commit anyway, and 16 MB in each
 * parsing worker: together 40–60 MB of peak memory. The main thread keeps the size it started with; each worker
 * starts at WORKER_SEMI_SPACE_MB, enough that a segment's objects die young. What a batch held is promoted and dies
 * at its commit, so the main thread's old generation is mostly garbage between full collections: sized from the
 * first batches of a log with many operations (thousands of rows each), it grew to about twice their live set.
 *
 * The flags are process-wide and read at each collection, but starting a worker thread resets V8's flags: the
 * command sets them before it starts work, and each worker again once it runs (segment-worker.ts).
 */
export function keepHeapsSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString(`--heap-growing-percent=${OLD_SPACE_GROWTH_PERCENT}`);
}

/** Before a worker thread starts: the size its young generation starts at (and, with the factor above, keeps). */
export function sizeWorkerYoungGeneration(): void {
  v8.setFlagsFromString(`--min-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
}
