import { oplensCommand } from '../../display/shell-quote.js';
import { sampleConfidence } from './confidence.js';
import { timeoutFor, trafficShare } from './failure-scope.js';
import { fmtRatio, isoMinute } from './format-evidence.js';
import { formatCount, formatDuration, formatMinute } from '../../display/format-units.js';
import type { Finding, Rule } from './rule.js';
import { setting } from './rule-settings.js';

/** A p99 needs a few hundred events before its ratio to p50 means anything. */
const SAMPLE_FACTOR = 4;
/** Three times the tail ratio is medium. */
const MEDIUM_FACTOR = 3;
/** The tail the finding is about: the slowest 1 % of the operation's events. */
const TAIL_SHARE = 0.01;
const EXAMPLES = 3;
/** Share of the timeout from which the tail is the timeouts themselves. */
const NEAR_TIMEOUT = 0.8;

/** p99 more than `heavyTailRatio` × p50 with enough samples → look at the slowest examples. */
const SETTINGS = {
  heavyTailRatio: setting<number>({ description: 'p99 / p50 above which a group has a heavy tail', schema: { type: 'number', minimum: 1 }, default: 10 }),
};

export const heavyTail: Rule<typeof SETTINGS> = {
  id: 'heavy-tail',
  category: 'performance',
  settings: SETTINGS,
  evaluate(doc, s) {
    const out: Finding[] = [];
    const min = s.minSamples * SAMPLE_FACTOR;
    for (const o of doc.operations) {
      if (o.durationCount < min || o.p50 === null || o.p99 === null || o.p50 <= 0) continue;
      const ratio = o.p99 / o.p50;
      if (ratio <= s.heavyTailRatio) continue;
      const slow = doc.slowest.filter((x) => x.op === o.op).sort((a, b) => b.durationMs - a.durationMs || a.ts - b.ts).slice(0, EXAMPLES);
      const evidence = [`${o.op}: p99 ${formatDuration(o.p99)} is ${fmtRatio(ratio)} its p50 ${formatDuration(o.p50)} (max ${formatDuration(o.max ?? o.p99)}, ${formatCount(o.durationCount)} timed events)`];
      for (const x of slow) evidence.push(`slow run: ${formatMinute(x.ts)} ${x.source} ${formatDuration(x.durationMs)}${x.ok ? '' : ' (failed)'}`);
      out.push({
        severity: ratio > MEDIUM_FACTOR * s.heavyTailRatio ? 'medium' : 'low',
        title: `${o.op}: heavy tail, p99 ${fmtRatio(ratio)} p50`,
        evidence,
        recommendation: `Look at the slowest runs of ${o.op}: what they share (input size, source, time of day, a dependency) names the cause of the tail.`,
        action: slow[0]
          ? 'Look at the hour around the slowest run, then at the slowest runs (slowest[] of the JSON document)'
          : 'Look at the slowest runs (slowest[] of the JSON document)',
        commands: [
          ...(slow[0] ? [oplensCommand('incident', '--at', isoMinute(slow[0].ts), '--window', '1h')] : []),
          oplensCommand('analyze', '--op', o.op, '--format', 'json'),
        ],
        impact: trafficShare(doc, o.count) * TAIL_SHARE,
        confidence: sampleConfidence(o.durationCount, min),
        ops: [o.op],
        // A tail that reaches the timeout is the timeout problem the other rules report, not a separate one.
        cause: o.p99 >= NEAR_TIMEOUT * timeoutFor(o.op, s) ? `timeout:${o.op}` : `tail:${o.op}`,
      });
    }
    return out;
  },
};
