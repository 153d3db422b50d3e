import { categoryExample, categoryFailures } from './category-failures.js';
import { fmtExample } from './format-evidence.js';
import type { Rule } from './rule.js';

/** Connection failures (ECONNRESET, ECONNREFUSED, socket hang up) → connection pooling and keep-alive. */
export const connectionErrors: Rule = {
  id: 'connection-errors',
  category: 'reliability',
  evaluate(doc, s) {
    const c = categoryFailures(doc, 'connection', s);
    if (!c) return [];
    const example = categoryExample(doc, 'connection');
    const ops = c.ops.slice(0, 3).map((x) => x.op);
    return [{
      severity: c.severity,
      title: `Connection failures in ${c.dominantOp ?? ops.join(', ')}`,
      evidence: example ? [...c.evidence, `example: ${fmtExample(example)}`] : c.evidence,
      recommendation:
        'Reuse connections: enable keep-alive and a bounded connection pool in the client that calls the failing peer, and retry idempotent calls once on a reset.',
      action: `In the HTTP client of ${ops.join(', ')}: new http.Agent({ keepAlive: true, maxSockets: 50 }) (undici: new Agent({ connections: 50 })), or HTTP_KEEP_ALIVE=true HTTP_MAX_SOCKETS=50 where the service reads them; check the peer's own connection limit`,
      impact: c.share,
      confidence: c.confidence,
      ops,
      cause: c.cause,
    }];
  },
};
