import { mad, median } from './robust.js';

export interface SpikeOptions {
  /** Fewest errors in the bucket itself (default 10): a handful of failures is never a spike. */
  minErrors?: number;
  /** How many times the typical error rate the bucket must reach (default 3). */
  factor?: number;
}

export interface ErrorRateSpike {
  /** Position of the bucket in `points`. */
  index: number;
  errorRate: number;
  /** Median error rate of the window's buckets that had traffic. */
  typicalErrorRate: number;
}

/** Spread multiplier: with MAD ≈ 0.67σ for normal data, 6·MAD is about 4σ above the typical bucket. */
const MAD_MULTIPLIER = 6;
/** Absolute floor: an error rate within 5 points of the typical one is not "far above" it, whatever the noise. */
const MIN_ABS_EXCESS = 0.05;

/**
 * Buckets (hours) whose error rate is far above the window's typical bucket.
 *
 * Rule: typical = median of errorCount/count over buckets with count > 0, spread = MAD of the same rates (both
 * robust, so the spikes themselves do not raise the bar). A bucket is a spike when
 *   errorCount ≥ minErrors  AND  errorRate ≥ max(typical·factor, typical + 6·MAD, typical + 0.05).
 * The three floors cover three failure modes of a single test: the factor alone fires on a near-zero typical rate,
 * the MAD term adapts to windows whose error rate naturally swings, and the absolute 5-point floor keeps a
 * 0.2 % → 0.7 % wobble from counting. Results are in bucket order.
 */
export function findSpikes(
  points: ReadonlyArray<{ count: number; errorCount: number }>,
  opts: SpikeOptions = {},
): ErrorRateSpike[] {
  const minErrors = opts.minErrors ?? 10;
  const factor = opts.factor ?? 3;
  const rates: number[] = [];
  for (const p of points) if (p.count > 0) rates.push(p.errorCount / p.count);
  if (rates.length === 0) return [];
  const typical = median(rates);
  const bar = Math.max(typical * factor, typical + MAD_MULTIPLIER * mad(rates), typical + MIN_ABS_EXCESS);

  const spikes: ErrorRateSpike[] = [];
  points.forEach((p, index) => {
    if (p.count <= 0 || p.errorCount < minErrors) return;
    const errorRate = p.errorCount / p.count;
    if (errorRate >= bar) spikes.push({ index, errorRate, typicalErrorRate: typical });
  });
  return spikes;
}
