import fs from 'node:fs';
import { ConfigError } from '../errors.js';
import { DEFAULT_CONFIG_FILE } from './config-file-name.js';
import { checkKeys, expectObject } from './config-error.js';
import type { ConfigSection } from './config-section.js';
import { ingestSection, type IngestConfig } from './sections/ingest-section.js';
import { retentionSection } from './sections/retention-section.js';
import { rulesSection, type RulesConfig } from './sections/rules-section.js';
import { thresholdsSection, type ThresholdConfig } from './sections/thresholds-section.js';
import { analysisSection, type AnalysisConfig } from './sections/analysis-section.js';
import { fieldsSection } from './sections/fields-section.js';
import { dimensionsSection } from './sections/dimensions-section.js';
import type { DimensionsConfig } from '../ingest/dimensions.js';
import type { FieldMapping } from '../ingest/formats/mapped.js';

export { DEFAULT_CONFIG_FILE };

/**
 * oplens.config.json (its JSON Schema ships as oplens.schema.json). Each top-level key is one section module in
 * sections/, listed once in SECTIONS; adding a key is a field here, a file there and a line below.
 */
export interface OplensConfig {
  retentionDays: number;
  ingest: IngestConfig;
  rules: RulesConfig;
  thresholds: ThresholdConfig[];
  analysis: AnalysisConfig;
  /** How to read logs no format adapter knows; absent when not configured. */
  fields: FieldMapping | undefined;
  /** Which fields of the lines are kept as dimensions. */
  dimensions: DimensionsConfig;
}

const SECTIONS: Array<ConfigSection<any>> = [retentionSection, ingestSection, rulesSection, thresholdsSection, analysisSection, fieldsSection, dimensionsSection];

export function defaultConfig(): OplensConfig {
  return Object.fromEntries(SECTIONS.map((s) => [s.key, s.defaults()])) as unknown as OplensConfig;
}

/**
 * Reads the config named by --config, else ./oplens.config.json when present, else the defaults.
 * A named file that is missing is an error; so is any unknown key or wrong value.
 */
export function loadConfig(file?: string): OplensConfig {
  const path = file ?? (fs.existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!path) return defaultConfig();
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`config file ${path} cannot be read (${(e as NodeJS.ErrnoException).code})`, 'check --config');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(raw);
}

export function parseConfig(raw: unknown): OplensConfig {
  const obj = expectObject(raw, '(top level)');
  checkKeys(obj, ['$schema', ...SECTIONS.map((s) => s.key as string)], '');
  const cfg = defaultConfig() as unknown as Record<string, unknown>;
  for (const s of SECTIONS) {
    if (obj[s.key] !== undefined) cfg[s.key] = s.parse(obj[s.key], cfg[s.key]);
  }
  return cfg as unknown as OplensConfig;
}
