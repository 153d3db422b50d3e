import type { Gauge } from '../aggregate/rollup-rows.js';
import { sketchQuantiles, type Buckets } from '../aggregate/sketch.js';
import type { Kpis, ResourceStat } from './analysis-document.js';
import { quantiles } from './stats/percentile.js';
import type { Tally } from './tally.js';

export interface Percentiles {
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
}

const QS = [0.5, 0.9, 0.95, 0.99, 0.999];
const NONE: Percentiles = { p50: null, p90: null, p95: null, p99: null, p999: null };

/** Sketch percentiles of a merged histogram, bounded by the exact minimum and maximum. */
export function sketchPercentiles(b: Buckets | undefined, min: number, max: number): Percentiles {
  if (!b || b.size === 0) return NONE;
  return named(sketchQuantiles(b, QS, Number.isFinite(min) ? min : undefined, Number.isFinite(max) ? max : undefined));
}

/** Exact percentiles (linear interpolation between closest ranks) of raw durations. */
export function exactPercentiles(values: readonly number[] | undefined): Percentiles {
  if (!values || values.length === 0) return NONE;
  return named(quantiles(values, QS));
}

function named(v: number[]): Percentiles {
  const f = (x: number) => (Number.isFinite(x) ? x : null);
  return { p50: f(v[0]), p90: f(v[1]), p95: f(v[2]), p99: f(v[3]), p999: f(v[4]) };
}

/**
 * The flat stat map of one group. Rates are over all events (0 when there are none); mean throughput is over
 * `minutes`, the part of the window the store covers; latency statistics are over events that carried a duration.
 */
export function toKpis(t: Tally, p: Percentiles, minutes: number): Kpis {
  const rate = (n: number) => (t.count > 0 ? n / t.count : 0);
  const hasDur = t.durCount > 0;
  return {
    count: t.count,
    okCount: t.okCount,
    errorCount: t.errorCount,
    timeoutCount: t.timeoutCount,
    successRate: rate(t.okCount),
    errorRate: rate(t.errorCount),
    timeoutRate: rate(t.timeoutCount),
    retryRate: rate(t.retriedCount),
    retriesPerEvent: rate(t.retriesSum),
    throughput: { meanPerMin: minutes > 0 ? t.count / minutes : 0, peakPerMin: t.peakCount, peakMinute: t.peakMinute },
    durationCount: t.durCount,
    mean: hasDur ? t.durSum / t.durCount : null,
    min: hasDur ? t.durMin : null,
    ...p,
    max: hasDur ? t.durMax : null,
    resources: { memoryMb: resource(t.memory), cpuPercent: resource(t.cpu), concurrency: resource(t.concurrency) },
  };
}

function resource(g: Gauge): ResourceStat | null {
  return g.n > 0 ? { max: g.max, mean: g.sum / g.n } : null;
}
