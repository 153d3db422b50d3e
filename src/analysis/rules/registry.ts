import { concurrencyKnee } from './concurrency-knee.js';
import { connectionErrors } from './connection-errors.js';
import { dataQuality } from './data-quality.js';
import { errorRateRise } from './error-rate-rise.js';
import { errorSpike } from './error-spike.js';
import { heavyTail } from './heavy-tail.js';
import { lowSuccessRate } from './low-success-rate.js';
import { memoryGrowth } from './memory-growth.js';
import { memoryPeak } from './memory-peak.js';
import { p95OverTimeout } from './p95-over-timeout.js';
import { p95Regression } from './p95-regression.js';
import { rateLimited } from './rate-limited.js';
import { retryStorm } from './retry-storm.js';
import { saturation } from './saturation.js';
import type { Rule } from './rule.js';
import { SHARED_SETTINGS, type Setting, type SettingValues } from './rule-settings.js';
import { timeoutDominant } from './timeout-dominant.js';

/**
 * Every rule, once. Adding a rule is a module in this folder and a line here; the settings it declares become
 * keys of the config's `rules` section, of oplens.schema.json and of the settings table in docs/rules.md.
 */
export const RULES = [
  p95OverTimeout,
  lowSuccessRate,
  timeoutDominant,
  connectionErrors,
  rateLimited,
  concurrencyKnee,
  saturation,
  p95Regression,
  memoryGrowth,
  memoryPeak,
  heavyTail,
  retryStorm,
  errorSpike,
  errorRateRise,
  dataQuality,
] as const;

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type OwnSettings = UnionToIntersection<NonNullable<(typeof RULES)[number]['settings']>>;

/** The config's `rules` section: the shared settings, every rule's own, and the ids of rules that never run. */
export type RulesConfig = SettingValues<typeof SHARED_SETTINGS & OwnSettings> & { disabled: string[] };

/** Every declared setting with the rules that declare it (none: shared), in the order the docs list them. */
export function declaredSettings(): Array<{ key: string; setting: Setting<unknown>; rules: string[] }> {
  const out = Object.entries(SHARED_SETTINGS).map(([key, setting]) => ({ key, setting: setting as Setting<unknown>, rules: [] as string[] }));
  for (const rule of RULES as readonly Rule<Record<string, Setting<unknown>>>[]) {
    for (const [key, setting] of Object.entries(rule.settings ?? {})) {
      if (out.some((s) => s.key === key)) throw new Error(`rules.${key} is declared twice (${rule.id})`);
      out.push({ key, setting, rules: [rule.id] });
    }
  }
  return out;
}

export function ruleDefaults(): RulesConfig {
  const values = declaredSettings().filter((d) => d.setting.default !== undefined).map((d) => [d.key, structuredClone(d.setting.default)]);
  return { ...Object.fromEntries(values), disabled: [] } as RulesConfig;
}

/** The `rules` part of oplens.schema.json (test/rules/rules-declared.test.ts checks that the file holds it). */
export function rulesSchema(): Record<string, unknown> {
  const properties = Object.fromEntries(declaredSettings().map(({ key, setting }) => [key, {
    ...setting.schema, description: setting.description, ...(setting.default !== undefined && { default: setting.default }),
  }]));
  return {
    type: 'object',
    additionalProperties: false,
    properties: { ...properties, disabled: { type: 'array', items: { type: 'string', enum: RULE_IDS }, description: 'rule ids that never run' } },
  };
}
