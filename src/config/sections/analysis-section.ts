import { ANALYSIS_DEFAULTS } from '../../analysis/analysis-settings.js';
import type { ConfigSection } from '../config-section.js';

export const analysisSection: ConfigSection<'analysis'> = {
  key: 'analysis',
  defaults: () => ({ ...ANALYSIS_DEFAULTS }),
};
