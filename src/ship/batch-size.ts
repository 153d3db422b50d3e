/** Events per shipped batch unless --batch-events says otherwise (its own module: the CLI shows it without loading the client). */
export const DEFAULT_BATCH_EVENTS = 500_000;
