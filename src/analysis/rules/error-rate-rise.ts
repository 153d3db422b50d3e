import { sampleConfidence } from './confidence.js';
import { oplensCommand } from '../../display/shell-quote.js';
import { changeEvidence, since, where } from './change-evidence.js';
import { failureCause, failureShare, findOp } from './failure-scope.js';
import { isoMinute } from './format-evidence.js';
import { formatCount, formatMinute, formatPercent } from '../../display/format-units.js';
import type { Finding, Rule } from './rule.js';

/** A failure rate that reached 10 % is high. */
const HIGH_RATE = 0.1;

/**
 * An operation's failure rate rose against the previous window (at least doubled, by a point or more, beyond
 * chance: the analysis's `error-rise` changes) → say since when and where, and look there first.
 */
export const errorRateRise: Rule = {
  id: 'error-rate-rise',
  category: 'reliability',
  evaluate(doc, s) {
    const out: Finding[] = [];
    for (const c of doc.changes) {
      if (c.foundBy !== 'error-rise' || c.op === null || c.before === null || c.after === null) continue;
      const o = findOp(doc, c.op);
      if (!o || o.errorCount < s.minFailures) continue;
      const w = where(c);
      out.push({
        severity: c.after >= HIGH_RATE ? 'high' : 'medium',
        title: `${c.op}: failures rose from ${formatPercent(c.before)} to ${formatPercent(c.after)}${since(c)}`,
        evidence: [
          `${c.op}: ${formatCount(o.errorCount)} of ${formatCount(o.count)} events failed (${formatPercent(c.after)}) against ${formatPercent(c.before)} in the ${doc.comparison.previous?.label ?? 'previous window'}`,
          ...changeEvidence(c),
        ],
        recommendation: `Find what changed in ${c.op}${c.onsetMs !== null ? ` around ${formatMinute(c.onsetMs)}` : ''}${w ? ` (${w})` : ''} and fix or roll it back.`,
        action: c.onsetMs !== null
          ? 'Compare the hour after the rise with the hour before it and the same hours a week earlier'
          : 'Look at its error groups with first and last seen',
        commands: [
          c.onsetMs !== null
            ? oplensCommand('incident', '--at', isoMinute(c.onsetMs), '--window', '2h')
            : oplensCommand('analyze', '--op', c.op, '--format', 'json'),
        ],
        impact: failureShare(doc, o.errorCount),
        confidence: sampleConfidence(o.count, s.minSamples),
        ops: [c.op],
        cause: failureCause(doc, c.op, s),
      });
    }
    return out;
  },
};
