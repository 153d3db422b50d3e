import { oplensCommand } from '../../display/shell-quote.js';
import { sampleConfidence } from './confidence.js';
import { describeGroup, failureShare } from './failure-scope.js';
import { isoMinute } from './format-evidence.js';
import { formatCount, formatMinute, formatPercent } from '../../display/format-units.js';
import type { Finding, Rule } from './rule.js';
import { changeEvidence, changeOf, where } from './change-evidence.js';
import { MINUTE_MS } from '../../core/time.js';

/** A bucket where half the events failed is high. */
const HIGH_RATE = 0.5;

/**
 * An hour whose error rate is far above the window's typical hour (the analysis finds them) and that
 * holds at least `minFailures` failures → point to that bucket and its top error group. Spikes with the same top
 * group share a cause with the rules that see that group's category in that operation, so a storm is reported once.
 */
export const errorSpike: Rule = {
  id: 'error-spike',
  category: 'reliability',
  evaluate(doc, s) {
    const step = 'hour';
    return doc.trends.spikes.filter((x) => x.errorCount >= s.minFailures).map((x): Finding => {
      const g = x.topGroup;
      const evidence = [
        `${formatMinute(x.at)} (${step}): ${formatCount(x.errorCount)} of ${formatCount(x.count)} events failed (${formatPercent(x.errorRate)}) against a typical ${formatPercent(x.typicalErrorRate)} per ${step}`,
      ];
      // The group's count is of that hour, so its share is of that hour's failures, not the window's.
      const ch = changeOf(doc, 'errors', null, x.at);
      evidence.push(...changeEvidence(ch));
      const w = where(ch);
      if (g) evidence.push(`top error group of the hour: ${describeGroup(doc, g, x.errorCount, "the hour's failures")}`);
      return {
        severity: x.errorRate >= HIGH_RATE ? 'high' : 'medium',
        title: `Error spike at ${formatMinute(x.at)}: ${formatPercent(x.errorRate)} failed${ch?.onsetMs != null ? ` from ${formatMinute(ch.onsetMs)}` : ''}`,
        evidence,
        recommendation: `Look at what happened at ${formatMinute(ch?.onsetMs ?? x.at)}${w ? ` (${w})` : ''}${g ? `: ${g.category} failures in ${g.op} drove the spike` : ''} (a deploy, a dependency outage, a burst of traffic?).`,
        // Centred on the hour's middle, a 2 h window holds the whole hour and half an hour either side.
        action: 'Write an incident report of that hour against the two hours before it and the same time a week earlier',
        commands: [oplensCommand('incident', '--at', isoMinute(x.at + 30 * MINUTE_MS), '--window', '2h')],
        impact: failureShare(doc, x.errorCount),
        confidence: sampleConfidence(x.count, s.minSamples),
        ops: g ? [g.op] : [],
        cause: g ? `${g.category}:${g.op}` : `spike:${x.at}`,
        key: isoMinute(x.at),
      };
    });
  },
};
