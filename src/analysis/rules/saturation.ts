import { sampleConfidence, trendConfidence } from './confidence.js';
import { formatDuration, formatMinute, formatPercent } from '../../display/format-units.js';
import { levelChange, risingTrend } from './level-change.js';
import { countOf } from '../resolution.js';
import type { Rule } from './rule.js';

/** Share of the busiest operations' traffic whose own p95 must have risen: saturation slows everything down. */
const BREADTH = 0.5;
/** A rise to double is high. */
const HIGH_REL = 1;

/**
 * Saturation: the window's p95 trends up (the analysis's Mann–Kendall test) by more than the regression threshold
 * between the first and last thirds, while throughput does not trend up, and the rise is broad (most of the
 * busiest operations' traffic slowed down). A rise confined to one operation is that operation's regression
 * (p95-regression), and latency that climbs with load is the concurrency rules' business.
 */
export const saturation: Rule = {
  id: 'saturation',
  category: 'capacity',
  evaluate(doc, s) {
    const trend = risingTrend(doc, 'p95');
    if (!trend || risingTrend(doc, 'throughput')) return [];
    const series = doc.trends.series.filter((p) => p.count > 0);
    const lat = levelChange(series.map((p) => p.p95));
    const thr = levelChange(series.map((p) => p.meanPerMin));
    if (!lat || !thr || lat.rel === null || lat.rel < s.regressionThreshold) return [];

    let weighed = 0;
    let risen = 0;
    const slowed: string[] = [];
    for (const o of doc.trends.opSeries) {
      const traffic = o.count.reduce((a, b) => a + b, 0);
      const ch = levelChange(o.p95);
      if (!ch || ch.rel === null) continue;
      weighed += traffic;
      if (ch.rel >= s.regressionThreshold) {
        risen += traffic;
        slowed.push(`${o.op} +${formatPercent(ch.rel)}`);
      }
    }
    if (weighed === 0 || risen / weighed < BREADTH) return [];

    // Traffic touched: the events in buckets whose p95 is past the early level by more than the threshold.
    const bar = lat.before * (1 + s.regressionThreshold);
    const total = series.reduce((n, p) => n + p.count, 0);
    const late = series.filter((p) => p.p95 !== null && p.p95 > bar);
    const touched = late.reduce((n, p) => n + p.count, 0);
    const step = doc.trends.resolution;
    const since = late[0] ? formatMinute(late[0].t) : 'the start of the rise';
    const evidence = [
      `p95 rose from ${formatDuration(lat.before)} to ${formatDuration(lat.after)} (+${formatPercent(lat.rel)}; Mann–Kendall p = ${trend.pValue.toPrecision(2)} over ${countOf(step, trend.points)}), above ${formatDuration(bar)} from ${since}`,
      `throughput did not rise: ${thr.before.toFixed(1)} → ${thr.after.toFixed(1)} events/min`,
      `slowed down: ${slowed.slice(0, 5).join(', ')} (${formatPercent(risen / weighed)} of the traffic of the busiest operations)`,
    ];
    const cpu = doc.overall.resources.cpuPercent;
    if (cpu) evidence.push(`CPU: peak ${cpu.max.toFixed(0)} %, mean ${cpu.mean.toFixed(0)} %`);
    return [{
      severity: lat.rel >= HIGH_REL ? 'high' : 'medium',
      title: `Saturation: p95 +${formatPercent(lat.rel)} at flat throughput`,
      evidence,
      recommendation: 'Scale out: add instances or workers so each one carries less of the same load, then check that p95 returns to its early level.',
      action: `Add instances or workers (e.g. pm2 scale <app> +2, or more replicas behind the load balancer); check CPU and queue depth per instance from ${since}`,
      impact: total > 0 ? touched / total : 0,
      confidence: Math.min(trendConfidence(trend.pValue), sampleConfidence(total, s.minSamples)),
      ops: [],
      cause: 'capacity:*',
    }];
  },
};
