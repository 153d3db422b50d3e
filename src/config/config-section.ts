import type { OplensConfig } from './load-config.js';

/**
 * One top-level key of oplens.config.json and its default. What a valid value is lives in oplens.schema.json
 * (checked by schema-problems.ts); what the schema cannot say across fields lives in cross-field-checks.ts.
 */
export interface ConfigSection<K extends keyof OplensConfig> {
  key: K;
  defaults(): OplensConfig[K];
}
