import { trendConfidence } from './confidence.js';
import { fmtMb } from './format-evidence.js';
import { levelChange, risingTrend } from './level-change.js';
import { countOf, RESOLUTIONS } from '../resolution.js';
import type { Rule } from './rule.js';
import { setting } from './rule-settings.js';
import { HOUR_MS } from '../../core/time.js';

const SETTINGS = {
  memoryGrowthMb: setting<number>({
    description: 'growth (MB) across the window below which a rising memory series is not called a leak',
    schema: { type: 'number', minimum: 0 },
    default: 100,
  }),
};

/**
 * Memory that grows steadily across the window (the analysis's trend test of the per-bucket memory peak is
 * significant and up, by at least `memoryGrowthMb` between the first and last thirds) → suspect a leak. High when, at the Theil–Sen rate, the
 * `memoryLimitMb` is reached within another window of the same length.
 */
export const memoryGrowth: Rule<typeof SETTINGS> = {
  id: 'memory-growth',
  category: 'resources',
  settings: SETTINGS,
  evaluate(doc, s) {
    const trend = risingTrend(doc, 'memoryMb');
    const series = doc.trends.series;
    const ch = levelChange(series.map((p) => p.memoryMaxMb));
    if (!trend || !ch || trend.slopePerStep <= 0) return [];
    const growth = ch.after - ch.before;
    if (growth < s.memoryGrowthMb) return [];
    const step = doc.trends.resolution;
    const perHour = trend.slopePerStep / (RESOLUTIONS[step].ms / HOUR_MS);
    const windowHours = (doc.window.toMs - doc.window.fromMs) / HOUR_MS;
    const hoursToLimit = ch.after < s.memoryLimitMb ? (s.memoryLimitMb - ch.after) / perHour : 0;
    const evidence = [
      `memory peak per ${RESOLUTIONS[step].unit} rose from ${fmtMb(ch.before)} to ${fmtMb(ch.after)} (+${fmtMb(growth)}) across the window, ${fmtMb(trend.slopePerStep)} per ${RESOLUTIONS[step].unit} (Theil–Sen; Mann–Kendall p = ${trend.pValue.toPrecision(2)} over ${countOf(step, trend.points)})`,
      ch.after < s.memoryLimitMb
        ? `at this rate the ${fmtMb(s.memoryLimitMb)} limit is reached in about ${hoursToLimit < 48 ? `${Math.round(hoursToLimit)} hours` : `${Math.round(hoursToLimit / 24)} days`}`
        : `the late level is already above the ${fmtMb(s.memoryLimitMb)} limit`,
    ];
    return [{
      severity: hoursToLimit <= windowHours ? 'high' : 'medium',
      title: `Memory grows steadily (+${fmtMb(growth)}): suspect a leak`,
      evidence,
      recommendation: 'Suspect a leak: find what the process keeps (caches without a bound, session history, listeners, timers) and bound or release it.',
      action: 'Start the process with node --heapsnapshot-signal=SIGUSR2, take two snapshots hours apart (kill -USR2 <pid>) and compare them in Chrome DevTools → Memory → Comparison; give what grows between them (per-session history, caches, listener lists) a size cap and an expiry',
      // The growth as a share of the memory limit: how much of the headroom one window eats.
      impact: Math.min(1, growth / s.memoryLimitMb),
      confidence: trendConfidence(trend.pValue),
      ops: [],
      cause: 'memory:*',
    }];
  },
};
