import type { ConcurrencyLevel } from '../analysis-document.js';
import { sampleConfidence } from './confidence.js';
import { formatCount, formatDuration, formatPercent } from '../../display/format-units.js';
import type { Rule } from './rule.js';
import { concurrencyAdvice } from './suggest-settings.js';

/** A level is "elevated" when its failure rate is at least double the base and 5 points above it … */
const ERROR_FACTOR = 2;
const ERROR_MIN_EXCESS = 0.05;
/** … or its p95 at least double the base p95. */
const LATENCY_FACTOR = 2;
const MIN_LEVELS = 3;
/** The pooled failure rates below and above the knee must differ beyond noise (one-sided, ~0.1 %). */
const MIN_Z = 3;

/**
 * Failures or latency that climb with concurrency (logs that carry `concurrency` / active processes). The knee is
 * the lowest level from which every level up is elevated against the levels below it, as in the barcode seed
 * ("failures start at 15+ concurrent requests"); the advice caps concurrency at the level before it.
 */
export const concurrencyKnee: Rule = {
  id: 'concurrency-knee',
  category: 'capacity',
  evaluate(doc, s) {
    const levels = doc.concurrency.filter((l) => l.count >= s.minSamples).sort((a, b) => a.level - b.level);
    if (levels.length < MIN_LEVELS) return [];
    for (let k = 1; k < levels.length; k++) {
      const below = levels.slice(0, k);
      const above = levels.slice(k);
      const base = summarize(below);
      const byErrors =
        above.every((l) => l.errorRate >= Math.max(ERROR_FACTOR * base.errorRate, base.errorRate + ERROR_MIN_EXCESS)) &&
        twoProportionZ(base, summarize(above)) >= MIN_Z;
      const byLatency = base.p95 !== null && above.every((l) => l.p95 !== null && l.p95 >= LATENCY_FACTOR * (base.p95 as number));
      if (!byErrors && !byLatency) continue;
      const high = summarize(above);
      const knee = levels[k].level;
      // Levels may be buckets [level, level + width): the cap is the top of the last healthy bucket.
      const cap = levels[k - 1].level + (levels[k - 1].width ?? 1) - 1;
      const total = levels.reduce((n, l) => n + l.count, 0);
      const p95 = (x: number | null) => (x === null ? 'n/a' : formatDuration(x));
      const evidence = [
        `at concurrency ≤ ${cap}: failure rate ${formatPercent(base.errorRate)}, p95 ${p95(base.p95)} (${formatCount(base.count)} events)`,
        `from concurrency ${knee}: failure rate ${formatPercent(high.errorRate)}, p95 ${p95(high.p95)} (${formatCount(high.count)} events)`,
        `per level: ${above.slice(0, 6).map((l) => `${l.level} → ${formatPercent(l.errorRate)} failed, p95 ${p95(l.p95)}`).join('; ')}`,
      ];
      return [{
        severity: high.errorRate >= 0.1 || byErrors ? 'high' : 'medium',
        title: `${byErrors ? 'Failures' : 'Latency'} climb from concurrency ${knee}`,
        evidence,
        recommendation: `Cap concurrency at ${cap}, the level before the knee, and queue the excess (or scale out) instead of running it in parallel.`,
        action: concurrencyAdvice(s.concurrencySetting, cap),
        impact: total > 0 ? high.count / total : 0,
        confidence: sampleConfidence(high.count, s.minSamples),
        ops: [],
        cause: 'concurrency:*',
      }];
    }
    return [];
  },
};

/** Pooled failure rate and the count-weighted median of the levels' p95s. */
function summarize(levels: ConcurrencyLevel[]): { count: number; errorRate: number; p95: number | null } {
  const count = levels.reduce((n, l) => n + l.count, 0);
  const errors = levels.reduce((n, l) => n + l.errorRate * l.count, 0);
  const timed = levels.filter((l) => l.p95 !== null).sort((a, b) => (a.p95 as number) - (b.p95 as number));
  const half = timed.reduce((n, l) => n + l.count, 0) / 2;
  let seen = 0;
  let p95: number | null = null;
  for (const l of timed) {
    seen += l.count;
    if (seen >= half) {
      p95 = l.p95;
      break;
    }
  }
  return { count, errorRate: count > 0 ? errors / count : 0, p95 };
}

/** z of the difference between two pooled failure rates. */
function twoProportionZ(a: { count: number; errorRate: number }, b: { count: number; errorRate: number }): number {
  const p = (a.errorRate * a.count + b.errorRate * b.count) / (a.count + b.count);
  const se = Math.sqrt(p * (1 - p) * (1 / a.count + 1 / b.count));
  return se > 0 ? (b.errorRate - a.errorRate) / se : 0;
}
