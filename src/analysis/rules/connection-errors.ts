import { categoryExample, categoryFailures } from './category-failures.js';
import { fmtExample } from './format-evidence.js';
import { peerClient } from './peer-client.js';
import { categoryClass } from '../../ingest/normalize/classify-error.js';
import type { Rule } from './rule.js';

/**
 * Connection failures (ECONNRESET, ECONNREFUSED, socket hang up) → tune the pool of the client that reaches the
 * failing peer: the port in the messages says which (5432 → the PostgreSQL pool, 6379 → Redis, 443 → HTTP
 * keep-alive); without a port the advice names no client it cannot see.
 */
export const connectionErrors: Rule = {
  id: 'connection-errors',
  category: 'reliability',
  evaluate(doc, s) {
    const c = categoryFailures(doc, 'connection', s);
    if (!c) return [];
    const example = categoryExample(doc, 'connection');
    const ops = c.ops.slice(0, 3).map((x) => x.op);
    const client = peerClient(doc.errorGroups.filter((g) => categoryClass(g.category) === 'connection').map((g) => ({ message: g.example, count: g.count })));
    const evidence = example ? [...c.evidence, `example: ${fmtExample(example)}`] : [...c.evidence];
    if (client) evidence.push(`failing peer: ${client.peer}, named in the messages`);
    return [{
      severity: c.severity,
      title: `Connection failures in ${c.dominantOp ?? ops.join(', ')}${client ? ` to ${client.peer}` : ''}`,
      evidence,
      recommendation: client
        ? `Tune the connection pool that ${ops.join(', ')} use${ops.length === 1 ? 's' : ''} to reach ${client.peer}: connections are being dropped or refused there.`
        : 'Find the peer the connections fail to (the messages name none) and tune the pool of the client that reaches it; retry idempotent calls once on a reset.',
      action: client
        ? `In ${ops.join(', ')}: ${client.advice}`
        : `Log the peer address with each connection error; then bound that client's pool under the peer's connection limit and keep idle connections under its idle timeout`,
      impact: c.share,
      confidence: c.confidence,
      ops,
      cause: c.cause,
    }];
  },
};
