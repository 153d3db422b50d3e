import { categoryFailures } from './category-failures.js';
import { currentTimeoutNote, findOp, timeoutOf } from './failure-scope.js';
import { formatCount, formatDuration } from '../../display/format-units.js';
import type { Rule } from './rule.js';
import { concurrencyAdvice, suggestTimeoutSeconds, timeoutAdvice } from './suggest-settings.js';

/** Timeouts are the dominant failure category (at least `dominantShare` of failures) → raise timeouts or cut concurrency. */
export const timeoutDominant: Rule = {
  id: 'timeout-dominant',
  category: 'reliability',
  evaluate(doc, s) {
    const c = categoryFailures(doc, 'timeout', s);
    if (!c || c.share < s.dominantShare) return [];
    // The operations the timeouts are about: the one that holds most of them, else the three largest.
    const named = c.dominantOp ? [c.dominantOp] : c.ops.slice(0, 3).map((x) => x.op);
    const top = named.map((op) => findOp(doc, op)).filter((o) => o !== undefined);
    const evidence = [...c.evidence];
    for (const o of top) {
      if (o.p99 !== null) evidence.push(`${o.op}: p95 ${formatDuration(o.p95 ?? o.p99)}, p99 ${formatDuration(o.p99)} against ${timeoutOf(o.op, s).text}`);
    }
    const conc = doc.overall.resources.concurrency;
    if (conc) evidence.push(`concurrency: peak ${formatCount(conc.max)}, mean ${conc.mean.toFixed(1)}`);
    const first = top[0];
    const t = timeoutOf(first?.op ?? '', s);
    const timeout = t.ms;
    const seconds = suggestTimeoutSeconds(timeout, first?.p99 ?? null);
    const cap = conc && conc.max >= 2 ? ` or ${concurrencyAdvice(s.concurrencySetting, Math.ceil(conc.max / 2))} (half the peak concurrency of ${formatCount(conc.max)})` : '';
    const where = named.join(', ');
    return [{
      severity: c.severity,
      title: `Timeouts are ${Math.round(c.share * 100)} % of failures (${where})`,
      evidence,
      recommendation: `Raise the timeout above the p99 of the operations that time out, or reduce concurrency so that fewer runs wait past it.`,
      action: `${timeoutAdvice(s.timeoutSetting, seconds)}${currentTimeoutNote(t)}${cap}`,
      impact: c.share,
      confidence: c.confidence,
      ops: named,
      cause: c.cause,
    }];
  },
};
