export const THRESHOLD_METRICS = ['p50', 'p90', 'p95', 'p99', 'errorRate', 'successRate', 'timeoutRate', 'throughput', 'memoryMb'] as const;
export type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];

/** Which way a metric gets worse: latency, error rates and memory up; success rate and throughput down. */
export const WORSE: Record<ThresholdMetric, 'higher' | 'lower'> = {
  p50: 'higher', p90: 'higher', p95: 'higher', p99: 'higher', errorRate: 'higher', timeoutRate: 'higher',
  memoryMb: 'higher', successRate: 'lower', throughput: 'lower',
};

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

export const LEVELS = ['target', 'warning', 'critical'] as const;
