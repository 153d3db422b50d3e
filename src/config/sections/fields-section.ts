import type { ConfigSection } from '../config-section.js';

/**
 * `fields`: how to read logs no adapter knows, as dotted paths into each record:
 * `{"ts": "meta.time", "op": "endpoint", "duration": "timing.ms", "durationUnit": "ms", "status": "http.status",
 *   "attrs": {"memoryMb": "proc.rss_mb"}}`. Only `ts` is required, with `op` or `duration`.
 */
export const fieldsSection: ConfigSection<'fields'> = {
  key: 'fields',
  defaults: () => undefined,
};
