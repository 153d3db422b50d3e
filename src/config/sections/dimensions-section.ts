import { DEFAULT_DIMENSIONS } from '../../ingest/dimensions.js';
import type { ConfigSection } from '../config-section.js';

/**
 * `dimensions`: which fields of the lines are kept to slice events by (`--group-by`, `--where`, attribution).
 * Known names (host, service, version, region, status, method, customer …) and short repeating text fields are
 * kept by themselves; `include` adds fields (dotted paths reach into objects), `exclude` drops them.
 */
export const dimensionsSection: ConfigSection<'dimensions'> = {
  key: 'dimensions',
  defaults: () => ({ ...DEFAULT_DIMENSIONS, include: [], exclude: [] }),
};
