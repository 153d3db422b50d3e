import type { ConfigSection } from '../config-section.js';

/** Days of raw events kept for exact percentiles and drill-down (`oplens prune`). */
export const retentionSection: ConfigSection<'retentionDays'> = {
  key: 'retentionDays',
  defaults: () => 30,
};
