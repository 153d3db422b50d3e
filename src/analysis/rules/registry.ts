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
import { timeoutDominant } from './timeout-dominant.js';

/** Every rule, once. Adding a rule is a module in this folder and a line here. */
export const RULES: readonly Rule[] = [
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
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
