import type { TimeRange } from '../store/queries.js';

/** An instant as a flag value: UTC to the minute (`2026-11-02T00:00Z`), as --since, --until and --at take it. */
export function flagTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + 'Z';
}

/**
 * The hint for a window with no events: what the store does hold and the flags that reach it (`reach` turns the
 * stored range into them), or that the store is empty, or that the window has events none of which pass the filters.
 */
export function storedRangeHint(stored: TimeRange | null, window: TimeRange, reach: (stored: TimeRange) => string, filters?: string): string {
  if (stored === null) return 'the store is empty: run `oplens ingest PATH` first';
  const held = `the store holds events from ${flagTime(stored.from)} to ${flagTime(stored.to)}`;
  if (stored.from < window.to && window.from < stored.to) {
    return filters ? `${held}, some in this window, but none that ${filters}` : `${held}; none of them in this window`;
  }
  return `${held}: ${reach(stored)}`;
}
