import fs from 'node:fs';
import { ConfigError } from '../errors.js';
import type { DurationUnit } from '../ingest/normalize/parse-duration.js';
import { checkKeys, expectNumber, expectObject, expectString } from './config-error.js';

export const DEFAULT_CONFIG_FILE = 'oplens.config.json';

/** oplens.config.json; `oplens.schema.json` is its JSON Schema. Sections of later features are added here. */
export interface OplensConfig {
  /** Days of raw events kept for exact percentiles and drill-down (`oplens prune`). */
  retentionDays: number;
  ingest: {
    /** Unit of duration fields whose name gives none (`duration`, `elapsed`, `latency`). */
    durationUnit: DurationUnit;
    maxLineBytes: number;
    batchLines: number;
  };
}

export const DEFAULT_CONFIG: OplensConfig = {
  retentionDays: 30,
  ingest: { durationUnit: 'ms', maxLineBytes: 1 << 20, batchLines: 20_000 },
};

const TOP_KEYS = ['$schema', 'retentionDays', 'ingest'] as const;
const UNITS = ['ns', 'us', 'ms', 's', 'min', 'h'] as const;

/**
 * Reads the config named by --config, else ./oplens.config.json when present, else the defaults.
 * A named file that is missing is an error; so is any unknown key or wrong value.
 */
export function loadConfig(file?: string): OplensConfig {
  const path = file ?? (fs.existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!path) return structuredClone(DEFAULT_CONFIG);
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
  checkKeys(obj, TOP_KEYS, '');
  const cfg = structuredClone(DEFAULT_CONFIG);
  if (obj.retentionDays !== undefined) cfg.retentionDays = expectNumber(obj.retentionDays, 'retentionDays', { min: 0 });
  if (obj.ingest !== undefined) {
    const ing = expectObject(obj.ingest, 'ingest');
    checkKeys(ing, ['durationUnit', 'maxLineBytes', 'batchLines'], 'ingest');
    if (ing.durationUnit !== undefined) cfg.ingest.durationUnit = expectString(ing.durationUnit, 'ingest.durationUnit', UNITS) as DurationUnit;
    if (ing.maxLineBytes !== undefined) cfg.ingest.maxLineBytes = expectNumber(ing.maxLineBytes, 'ingest.maxLineBytes', { min: 1024, integer: true });
    if (ing.batchLines !== undefined) cfg.ingest.batchLines = expectNumber(ing.batchLines, 'ingest.batchLines', { min: 1, integer: true });
  }
  return cfg;
}
