import { RULE_IDS } from '../../analysis/rules/registry.js';
import { DEFAULT_TIMEOUT_MS } from '../../analysis/rules/suggest-settings.js';
import { ConfigError } from '../../errors.js';
import { checkKeys, configError, expectNumber, expectObject, expectString } from '../config-error.js';
import type { ConfigSection } from '../config-section.js';

/**
 * Settings of the recommendation rules (src/analysis/rules/). Defaults come from the seed guides: a 30 s timeout
 * (GansAuditor's `AUDIT_TIMEOUT_SECONDS=30`), success under 90 % critical / under 95 % high, memory peak over 1000 MB, a
 * p99/p50 tail ratio of 10. Unknown keys and unknown rule ids in `disabled` are errors.
 */
export interface RulesConfig {
  /** Timeout the operations run under, unless an entry of `timeouts` matches the operation. */
  timeoutMs: number;
  /** Per-operation timeouts; the first entry whose glob (`*`, `?`) matches the operation wins. */
  timeouts: Array<{ op: string; ms: number }>;
  /**
   * Name of the timeout setting (in seconds) the advice tells people to raise, e.g. the seed's
   * `AUDIT_TIMEOUT_SECONDS`; unset, the advice says "raise the timeout" (`oplens init` sets it for GansAuditor logs).
   */
  timeoutSetting?: string;
  /** Name of the concurrency cap the advice tells people to set (the seed's `MAX_CONCURRENT_AUDITS`). */
  concurrencySetting?: string;
  /** Success rates below which a group is a high / critical finding. */
  successRate: { high: number; critical: number };
  /** Fewest events a group needs before any rate or percentile rule judges it. */
  minSamples: number;
  /** Fewest failures of a category before a category rule (timeouts, connection, rate limit) fires. */
  minFailures: number;
  /** Share of failures above which one category "dominates". */
  dominantShare: number;
  /** p99 / p50 above which a group has a heavy tail. */
  heavyTailRatio: number;
  /** Memory (MB) above which the peak is a finding. */
  memoryLimitMb: number;
  /** Growth (MB) across the window below which a rising memory series is not called a leak. */
  memoryGrowthMb: number;
  /**
   * Relative p95 worsening (0.2 = 20 %) that counts as a regression; unset = `analysis.regressionThreshold`, the
   * bar the analysis already used for `comparison.*.regressions`.
   */
  regressionThreshold?: number;
  /** Share of events retried above which retries are a storm. */
  retryRate: number;
  /** Rule ids that never run. */
  disabled: string[];
}

const KEYS = [
  'timeoutMs', 'timeouts', 'timeoutSetting', 'concurrencySetting', 'successRate', 'minSamples', 'minFailures',
  'dominantShare', 'heavyTailRatio', 'memoryLimitMb', 'memoryGrowthMb', 'regressionThreshold', 'retryRate', 'disabled',
] as const;

export const rulesSection: ConfigSection<'rules'> = {
  key: 'rules',
  defaults: () => ({
    timeoutMs: DEFAULT_TIMEOUT_MS,
    timeouts: [],
    successRate: { high: 0.95, critical: 0.9 },
    minSamples: 50,
    minFailures: 20,
    dominantShare: 0.5,
    heavyTailRatio: 10,
    memoryLimitMb: 1000,
    memoryGrowthMb: 100,
    retryRate: 0.1,
    disabled: [],
  }),
  parse(raw, d) {
    const o = expectObject(raw, 'rules');
    checkKeys(o, KEYS, 'rules');
    const num = (k: (typeof KEYS)[number], dflt: number, opts: { min?: number; integer?: boolean } = {}) =>
      o[k] === undefined ? dflt : expectNumber(o[k], `rules.${k}`, opts);
    const fraction = (k: (typeof KEYS)[number], dflt: number) => {
      const v = num(k, dflt, { min: 0 });
      if (v > 1) throw configError(`rules.${k}`, 'a fraction between 0 and 1', v);
      return v;
    };
    return {
      timeoutMs: num('timeoutMs', d.timeoutMs, { min: 1 }),
      timeouts: o.timeouts === undefined ? d.timeouts : parseTimeouts(o.timeouts),
      ...(o.timeoutSetting === undefined ? {} : { timeoutSetting: expectSettingName(o.timeoutSetting, 'rules.timeoutSetting') }),
      ...(o.concurrencySetting === undefined ? {} : { concurrencySetting: expectSettingName(o.concurrencySetting, 'rules.concurrencySetting') }),
      successRate: o.successRate === undefined ? d.successRate : parseSuccessRate(o.successRate, d.successRate),
      minSamples: num('minSamples', d.minSamples, { min: 1, integer: true }),
      minFailures: num('minFailures', d.minFailures, { min: 1, integer: true }),
      dominantShare: fraction('dominantShare', d.dominantShare),
      heavyTailRatio: num('heavyTailRatio', d.heavyTailRatio, { min: 1 }),
      memoryLimitMb: num('memoryLimitMb', d.memoryLimitMb, { min: 1 }),
      memoryGrowthMb: num('memoryGrowthMb', d.memoryGrowthMb, { min: 0 }),
      ...(o.regressionThreshold === undefined ? {} : { regressionThreshold: expectNumber(o.regressionThreshold, 'rules.regressionThreshold', { min: 0 }) }),
      retryRate: fraction('retryRate', d.retryRate),
      disabled: o.disabled === undefined ? d.disabled : parseDisabled(o.disabled),
    };
  },
};

function parseTimeouts(raw: unknown): RulesConfig['timeouts'] {
  if (!Array.isArray(raw)) throw configError('rules.timeouts', 'an array of {op, ms}', raw);
  return raw.map((t, i) => {
    const path = `rules.timeouts[${i}]`;
    const e = expectObject(t, path);
    checkKeys(e, ['op', 'ms'], path);
    const op = expectString(e.op, `${path}.op`);
    if (op === '') throw configError(`${path}.op`, 'an operation name or glob', op);
    return { op, ms: expectNumber(e.ms, `${path}.ms`, { min: 1 }) };
  });
}

function parseSuccessRate(raw: unknown, d: RulesConfig['successRate']): RulesConfig['successRate'] {
  const o = expectObject(raw, 'rules.successRate');
  checkKeys(o, ['high', 'critical'], 'rules.successRate');
  const read = (k: 'high' | 'critical') => {
    if (o[k] === undefined) return d[k];
    const v = expectNumber(o[k], `rules.successRate.${k}`, { min: 0 });
    if (v > 1) throw configError(`rules.successRate.${k}`, 'a fraction between 0 and 1 (0.95 = 95 %)', v);
    return v;
  };
  const out = { high: read('high'), critical: read('critical') };
  if (out.critical > out.high) {
    throw new ConfigError(`config rules.successRate: critical (${out.critical}) must not be above high (${out.high})`);
  }
  return out;
}

function parseDisabled(raw: unknown): string[] {
  if (!Array.isArray(raw)) throw configError('rules.disabled', 'an array of rule ids', raw);
  return raw.map((id, i) => expectString(id, `rules.disabled[${i}]`, RULE_IDS));
}

/** Setting names end up in shell commands (`export NAME=60`), so only identifier characters are accepted. */
function expectSettingName(v: unknown, keyPath: string): string {
  const s = expectString(v, keyPath);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) throw configError(keyPath, 'an environment variable name', s);
  return s;
}
