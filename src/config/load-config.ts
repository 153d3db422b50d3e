import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { FieldMapping } from '../ingest/formats/mapped.js';
import { configProblemsError } from './config-error.js';
import { DEFAULT_CONFIG_FILE } from './config-file-name.js';
import type { ConfigSection } from './config-section.js';
import { crossFieldProblems } from './cross-field-checks.js';
import { schemaProblems } from './schema-problems.js';
import type { AnalysisConfig } from '../analysis/analysis-settings.js';
import type { RulesConfig } from '../analysis/rules/registry.js';
import type { ThresholdConfig } from '../analysis/threshold-config.js';
import { analysisSection } from './sections/analysis-section.js';
import { fieldsSection } from './sections/fields-section.js';
import { ingestSection, type IngestConfig } from './sections/ingest-section.js';
import { retentionSection } from './sections/retention-section.js';
import { rulesSection } from './sections/rules-section.js';
import { thresholdsSection } from './sections/thresholds-section.js';
import { dimensionsSection } from './sections/dimensions-section.js';
import type { DimensionsConfig } from '../ingest/dimensions.js';

export { DEFAULT_CONFIG_FILE };

/**
 * oplens.config.json. oplens.schema.json (shipped in the package) says what is valid and is what validates it;
 * each top-level key is one section module in sections/ with its default, listed once in SECTIONS; adding a key
 * is a field here, a file there, a line below and its entry in the schema.
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

/** Where the config came from: `--config`, `OPLENS_CONFIG`, or found by searching up from the working directory. */
export interface ConfigOrigin {
  file: string;
  how: '--config' | 'OPLENS_CONFIG' | 'search';
}

/**
 * The config file to read, as eslint and prettier find theirs: `--config FILE`, else `OPLENS_CONFIG`, else the
 * nearest oplens.config.json in the working directory or one above it; none means the defaults.
 */
export function findConfigFile(explicit?: string, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): ConfigOrigin | undefined {
  if (explicit) return { file: explicit, how: '--config' };
  if (env.OPLENS_CONFIG) return { file: env.OPLENS_CONFIG, how: 'OPLENS_CONFIG' };
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, DEFAULT_CONFIG_FILE);
    if (fs.existsSync(file)) return { file, how: 'search' };
    if (path.dirname(dir) === dir) return undefined;
  }
}

export interface LoadedConfig {
  config: OplensConfig;
  origin?: ConfigOrigin;
  /** The file's own content (before defaults), to tell given values from defaults. */
  raw?: Record<string, unknown>;
}

/** Reads the config (see findConfigFile). A named file that is missing is an error; so is every wrong key or value. */
export function loadConfig(explicit?: string): OplensConfig {
  return loadConfigWithOrigin(explicit).config;
}

export function loadConfigWithOrigin(explicit?: string): LoadedConfig {
  const origin = findConfigFile(explicit);
  if (!origin) return { config: defaultConfig() };
  let text: string;
  try {
    text = fs.readFileSync(origin.file, 'utf8');
  } catch (e) {
    const via = origin.how === 'OPLENS_CONFIG' ? 'check OPLENS_CONFIG' : 'check --config';
    throw new ConfigError(`config file ${origin.file} cannot be read (${(e as NodeJS.ErrnoException).code})`, via);
  }
  const raw = parseJson(text, origin.file);
  return { config: parseConfig(raw, origin.file), origin, raw: raw as Record<string, unknown> };
}

/** JSON.parse with the place of a syntax error as line and column, which editors jump to. */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /at position (\d+)/.exec(msg);
    const reason = msg.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    if (!pos) throw new ConfigError(`config file ${file} is not valid JSON: ${reason}`);
    const before = text.slice(0, Number(pos[1]));
    const line = before.split('\n').length;
    const column = Number(pos[1]) - before.lastIndexOf('\n');
    throw new ConfigError(`config file ${file} is not valid JSON: ${reason} at line ${line}, column ${column}`, `${file}:${line}:${column}`);
  }
}

/**
 * Validates a parsed config against oplens.schema.json, then checks what the schema cannot (cross-field), and
 * reports every problem at once. Given keys replace defaults; objects merge key by key; arrays replace.
 */
export function parseConfig(raw: unknown, file?: string): OplensConfig {
  const shape = schemaProblems(raw);
  if (shape.length) throw configProblemsError(shape, file);
  const { $schema: _, ...given } = raw as Record<string, unknown>;
  const config = merge(defaultConfig(), given) as OplensConfig;
  config.thresholds = config.thresholds.map((t) => ({ ...t, op: t.op ?? '*' }));
  const crossed = crossFieldProblems(config);
  if (crossed.length) throw configProblemsError(crossed, file);
  return config;
}

function merge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
