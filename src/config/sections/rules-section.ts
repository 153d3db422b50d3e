import { ruleDefaults } from '../../analysis/rules/rule-settings.js';
import type { ConfigSection } from '../config-section.js';

export const rulesSection: ConfigSection<'rules'> = { key: 'rules', defaults: ruleDefaults };
