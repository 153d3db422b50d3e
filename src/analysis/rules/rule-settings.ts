import type { ThresholdConfig } from '../threshold-config.js';
import { DEFAULT_TIMEOUT_MS } from './suggest-settings.js';

/**
 * One key of the `rules` config, declared by the rule that reads it (or below, when several do): what
 * oplens.schema.json says of it, its meaning and its default. The config's `rules` section, its part of the schema
 * and the settings table of docs/rules.md are built from these declarations (registry.ts).
 */
export interface Setting<T> {
  description: string;
  /** JSON Schema of the value; `x-expected` words what a wrong value should have been. */
  schema: Record<string, unknown>;
  /** None for a setting that stays unset unless the config gives it. */
  default?: T;
}

export type Settings = Record<string, Setting<unknown>>;

type ValueOf<X> = X extends Setting<infer T> ? T : never;
/** The values of declared settings: one whose type admits undefined is optional. */
export type SettingValues<S> = { [K in keyof S as undefined extends ValueOf<S[K]> ? never : K]: ValueOf<S[K]> } & {
  [K in keyof S as undefined extends ValueOf<S[K]> ? K : never]?: Exclude<ValueOf<S[K]>, undefined>;
};

/** A setting whose value has type T (the declaration alone would not say so). */
export function setting<T>(s: Setting<T>): Setting<T> {
  return s;
}

const FRACTION = { type: 'number', minimum: 0, maximum: 1, 'x-expected': 'a fraction between 0 and 1' };
const ENV_NAME = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', 'x-expected': 'an environment variable name' };

/**
 * Settings several rules read. Defaults come from the seed guides: a 30 s timeout (GansAuditor's
 * `AUDIT_TIMEOUT_SECONDS=30`), a memory limit of 1000 MB.
 */
export const SHARED_SETTINGS = {
  timeoutMs: setting<number>({
    description: 'timeout (ms) the operations run under, unless an entry of timeouts matches the operation',
    schema: { type: 'number', minimum: 1 },
    default: DEFAULT_TIMEOUT_MS,
  }),
  timeouts: setting<Array<{ op: string; ms: number }>>({
    description: 'per-operation timeouts; the first entry whose glob (*, ?) matches the operation wins',
    schema: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['op', 'ms'],
        properties: { op: { type: 'string', minLength: 1, 'x-expected': 'an operation name or glob' }, ms: { type: 'number', minimum: 1 } },
      },
    },
    default: [],
  }),
  timeoutSetting: setting<string | undefined>({
    description: 'name of the timeout setting (seconds) the advice names, e.g. AUDIT_TIMEOUT_SECONDS; unset: generic advice',
    schema: ENV_NAME,
  }),
  concurrencySetting: setting<string | undefined>({
    description: 'name of the concurrency cap the advice names, e.g. MAX_CONCURRENT_AUDITS; unset: generic advice',
    schema: ENV_NAME,
  }),
  minSamples: setting<number>({
    description: 'fewest events a group needs before any rate or percentile rule judges it',
    schema: { type: 'integer', minimum: 1 },
    default: 50,
  }),
  minFailures: setting<number>({
    description: 'fewest failures of a category before a category rule (timeouts, connection, rate limit) fires',
    schema: { type: 'integer', minimum: 1 },
    default: 20,
  }),
  dominantShare: setting<number>({
    description: 'share of failures above which one category dominates',
    schema: FRACTION,
    default: 0.5,
  }),
  memoryLimitMb: setting<number>({
    description: 'memory (MB) above which the peak is a finding, and which growing memory is measured against',
    schema: { type: 'number', minimum: 1 },
    default: 1000,
  }),
  regressionThreshold: setting<number | undefined>({
    description: 'relative p95 worsening (0.2 = 20 %) that counts as a regression; unset: analysis.regressionThreshold',
    schema: { type: 'number', minimum: 0 },
  }),
};

export type SharedSettings = SettingValues<typeof SHARED_SETTINGS>;

/**
 * What every rule is given besides its own settings: the shared ones with the regression bar resolved (its own, else
 * the analysis's), and the thresholds table, whose levels the rules share (a success rate is critical for a rule
 * exactly when it is for the table).
 */
export type RuleContext = Omit<SharedSettings, 'regressionThreshold'> & { regressionThreshold: number; thresholds: readonly ThresholdConfig[] };
