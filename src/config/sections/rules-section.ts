import { ruleDefaults } from '../../analysis/rules/registry.js';
import type { ConfigSection } from '../config-section.js';

export const rulesSection: ConfigSection<'rules'> = { key: 'rules', defaults: ruleDefaults };
