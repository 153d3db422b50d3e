import { ConfigError } from '../../errors.js';
import { checkKeys, configError, expectNumber, expectObject, expectString } from '../config-error.js';
import type { ConfigSection } from '../config-section.js';

export const THRESHOLD_METRICS = ['p50', 'p90', 'p95', 'p99', 'errorRate', 'successRate', 'timeoutRate', 'throughput', 'memoryMb'] as const;
export type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];

/** Which way a metric gets worse: latency, error rates and memory up; success rate and throughput down. */
export const WORSE: Record<ThresholdMetric, 'higher' | 'lower'> = {
  p50: 'higher', p90: 'higher', p95: 'higher', p99: 'higher', errorRate: 'higher', timeoutRate: 'higher',
  memoryMb: 'higher', successRate: 'lower', throughput: 'lower',
};

/** Rates are fractions, as everywhere in the analysis document (0.95 = 95 %). */
const RATES: readonly ThresholdMetric[] = ['errorRate', 'successRate', 'timeoutRate'];

/**
 * One threshold: a metric (latency percentiles in ms, rates as fractions, throughput in events/min, memory peak
 * in MB) for the operations matching `op` (a glob, default every operation), with up to three levels as in the
 * seeds' tables. A level is breached when the value is strictly worse than it; a threshold without `warning`
 * treats a missed `target` as a warning.
 */
export interface ThresholdConfig {
  metric: ThresholdMetric;
  op: string;
  target?: number;
  warning?: number;
  critical?: number;
}

/**
 * Defaults from the seed guides that hold for any operation: success rate 95 % target, under 90 % warning, under
 * 80 % critical; error rate under 10 % (the k6 seed's `http_req_failed: rate<0.1`); memory under 500 MB as a
 * target, over 1 GB a warning. Latency limits depend on the operation (an API call is not an export job), so none
 * is assumed: `oplens init` writes the seeds' API table (p95 200 / 200 / 500 ms) with a slower limit for each
 * operation it sees is slower, and SEED_LATENCY_THRESHOLDS is that table.
 */
export const DEFAULT_THRESHOLDS: ThresholdConfig[] = [
  { metric: 'successRate', op: '*', target: 0.95, warning: 0.9, critical: 0.8 },
  { metric: 'errorRate', op: '*', warning: 0.1 },
  { metric: 'memoryMb', op: '*', target: 500, warning: 1000 },
];

/** Homeostasis's API table: p95 under 200 ms target, 200–500 ms warning, over 500 ms critical; p99 under 500 ms. */
export const SEED_LATENCY_THRESHOLDS: ThresholdConfig[] = [
  { metric: 'p95', op: '*', target: 200, warning: 200, critical: 500 },
  { metric: 'p99', op: '*', target: 500 },
];

const LEVELS = ['target', 'warning', 'critical'] as const;

export const thresholdsSection: ConfigSection<'thresholds'> = {
  key: 'thresholds',
  defaults: () => DEFAULT_THRESHOLDS.map((t) => ({ ...t })),
  parse(raw) {
    if (!Array.isArray(raw)) throw configError('thresholds', 'an array of {metric, op, target, warning, critical}', raw);
    return raw.map((t, i) => parseThreshold(t, `thresholds[${i}]`));
  },
};

function parseThreshold(raw: unknown, path: string): ThresholdConfig {
  const o = expectObject(raw, path);
  checkKeys(o, ['metric', 'op', ...LEVELS], path);
  const metric = expectString(o.metric, `${path}.metric`, THRESHOLD_METRICS) as ThresholdMetric;
  const op = o.op === undefined ? '*' : expectString(o.op, `${path}.op`);
  if (op === '') throw configError(`${path}.op`, 'an operation name or glob', op);
  const t: ThresholdConfig = { metric, op };
  for (const level of LEVELS) {
    if (o[level] === undefined) continue;
    const v = expectNumber(o[level], `${path}.${level}`, { min: 0 });
    if (RATES.includes(metric) && v > 1) throw configError(`${path}.${level}`, `a fraction between 0 and 1 for ${metric} (0.95 = 95 %)`, v);
    t[level] = v;
  }
  if (LEVELS.every((l) => t[l] === undefined)) {
    throw new ConfigError(`config ${path}: no level given`, 'give at least one of target, warning, critical');
  }
  checkOrder(t, path);
  return t;
}

/** Levels must get worse in the metric's direction: target, then warning, then critical. */
function checkOrder(t: ThresholdConfig, path: string): void {
  const present = LEVELS.filter((l) => t[l] !== undefined);
  const sign = WORSE[t.metric] === 'higher' ? 1 : -1;
  for (let i = 1; i < present.length; i++) {
    const [a, b] = [present[i - 1], present[i]];
    if (sign * ((t[b] as number) - (t[a] as number)) < 0) {
      const rel = sign > 0 ? 'below' : 'above';
      throw new ConfigError(`config ${path}: ${b} (${t[b]}) is ${rel} ${a} (${t[a]}) for ${t.metric}`, `${t.metric} gets worse as it goes ${sign > 0 ? 'up' : 'down'}`);
    }
  }
}
