import { DEFAULT_TIMEOUT_MS } from './suggest-settings.js';

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

export function ruleDefaults(): RulesConfig {
  return {
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
  };
}
