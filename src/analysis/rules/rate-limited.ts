import { categoryExample, categoryFailures } from './category-failures.js';
import { findOp } from './failure-scope.js';
import { fmtExample } from './format-evidence.js';
import { formatCount, formatMinute } from '../../display/format-units.js';
import type { Rule } from './rule.js';

/** 429 / rate-limit failures → back off, spread the load, or raise the limit. */
export const rateLimited: Rule = {
  id: 'rate-limited',
  category: 'capacity',
  evaluate(doc, s) {
    const c = categoryFailures(doc, 'rate_limit', s);
    if (!c) return [];
    const evidence = [...c.evidence];
    for (const x of c.ops.slice(0, 2)) {
      const o = findOp(doc, x.op);
      if (o && o.throughput.peakMinute !== null) {
        evidence.push(`${o.op}: peak ${formatCount(o.throughput.peakPerMin)}/min at ${formatMinute(o.throughput.peakMinute)} against a mean of ${o.throughput.meanPerMin.toFixed(1)}/min`);
      }
    }
    const example = categoryExample(doc, 'rate_limit');
    if (example) evidence.push(`example: ${fmtExample(example)}`);
    const ops = c.ops.slice(0, 3).map((x) => x.op);
    return [{
      severity: c.severity,
      title: `Rate-limited (429) calls in ${c.dominantOp ?? ops.join(', ')}`,
      evidence,
      recommendation:
        'Back off on 429 (honour Retry-After, exponential delay with jitter), spread bursts below the quota, or raise the limit with the provider.',
      action: `In the client of ${ops.join(', ')}: retry 429 after Retry-After or 1 s, 2 s, 4 s with jitter (at most 5 tries) and queue calls through a token bucket set just under the quota; if the peak is legitimate, ask for a higher limit`,
      impact: c.share,
      confidence: c.confidence,
      ops,
      cause: c.cause,
    }];
  },
};
