import { DEFAULT_THRESHOLDS } from '../../analysis/threshold-config.js';
import type { ConfigSection } from '../config-section.js';

export const thresholdsSection: ConfigSection<'thresholds'> = {
  key: 'thresholds',
  defaults: () => DEFAULT_THRESHOLDS.map((t) => ({ ...t })),
};
