import { describe, expect, test } from 'vitest';
import { connectionErrors } from '../../src/analysis/rules/connection-errors.js';
import { errorSpike } from '../../src/analysis/rules/error-spike.js';
import { lowSuccessRate } from '../../src/analysis/rules/low-success-rate.js';
import { rateLimited } from '../../src/analysis/rules/rate-limited.js';
import { retryStorm } from '../../src/analysis/rules/retry-storm.js';
import { timeoutDominant } from '../../src/analysis/rules/timeout-dominant.js';
import { ruleSettings } from '../../src/analysis/rules/recommend.js';
import { FROM, buildDoc, config, healthyOp, opsWith, type OpSpec } from './doc-factory.js';

const rules = (over = {}) => ruleSettings(config(over));
/** Failures of a set of operations, summed here rather than read back from the document. */
const failures = (ops: OpSpec[]) => ops.reduce((n, o) => n + Object.values(o.errors ?? {}).reduce((a, b) => a + b, 0), 0);

describe('low-success-rate', () => {
  test('fires under the warning threshold (90 %) for the operation as high, naming the dominant error groups', () => {
    const ops = opsWith({ ...healthyOp('search'), errors: { timeout: 1500, rate_limit: 19 } });
    const found = lowSuccessRate.evaluate(buildDoc(ops), rules());
    expect(found.map((f) => f.title.split(':')[0])).toEqual(['search']);
    const [search] = found;
    // The thresholds table calls 87.3 % a warning (critical is under 80 %): the rule says high, not critical.
    expect(search.severity).toBe('high');
    expect(search.evidence[0]).toContain('under the warning threshold of 90 %');
    // 12,000 events, 1,519 failed → 87.34 % success.
    expect(search.evidence[0]).toContain('success 87.3 % (1,519 of 12,000 events failed');
    expect(search.evidence.join('\n')).toContain('error group: timeout in search [ETIMEDOUT]');
    expect(search.cause).toBe('timeout:search');
    // Impact is the share of all failures in the window.
    expect(search.impact).toBeCloseTo(1519 / failures(ops), 6);
  });

  test('critical only under the critical threshold of the table', () => {
    const ops = opsWith({ ...healthyOp('search'), errors: { timeout: 3000 } });
    const [search] = lowSuccessRate.evaluate(buildDoc(ops), rules());
    expect(search.severity).toBe('critical'); // 75 % < 80 %
  });

  test('the window as a whole under its 95 % target (above the 90 % warning) is a medium note, with the cause of its dominant category and operation', () => {
    const ops = opsWith({ ...healthyOp('GET /api/orders'), errors: { timeout: 6000, connection: 19 } });
    const found = lowSuccessRate.evaluate(buildDoc(ops), rules());
    const all = found.find((f) => f.title.startsWith('all operations'))!;
    const success = 1 - failures(ops) / 100_000;
    expect(success).toBeLessThan(0.95);
    expect(success).toBeGreaterThan(0.9);
    expect(all.severity).toBe('medium');
    expect(all.evidence[0]).toContain(`success ${(success * 100).toFixed(1)} %`);
    expect(all.cause).toBe('timeout:GET /api/orders');
    expect(found.find((f) => f.ops[0] === 'GET /api/orders' && f !== all)?.cause).toBe(all.cause);
  });

  test('near miss: 4 failures out of 60 (93.3 %) is within sampling noise of 95 %', () => {
    const doc = buildDoc(opsWith({ op: 'tiny', count: 60, errors: { timeout: 4 }, p50: 10, p95: 20, p99: 30 }));
    expect(lowSuccessRate.evaluate(doc, rules())).toEqual([]);
  });

  test('near miss: 95.2 % success on a large operation does not fire', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('search'), errors: { timeout: 576 } }));
    expect(lowSuccessRate.evaluate(doc, rules())).toEqual([]);
  });

  test('without a successRate threshold the bars come from rules.successRate', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('search'), errors: { timeout: 576 } }));
    const settings = { ...rules({ successRate: { high: 0.99, critical: 0.96 } }), thresholds: [] };
    expect(lowSuccessRate.evaluate(doc, settings).map((f) => f.severity)).toContain('critical');
  });

  test('a successRate threshold for an operation glob sets its levels', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('search'), errors: { timeout: 576 } }));
    const settings = { ...rules(), thresholds: [{ metric: 'successRate' as const, op: 'sea*', target: 0.99, warning: 0.97, critical: 0.96 }] };
    const f = lowSuccessRate.evaluate(doc, settings).find((x) => x.ops[0] === 'search')!;
    expect(f.severity).toBe('critical');
    expect(f.evidence[0]).toContain('under the critical threshold of 96 %');
  });
});

describe('timeout-dominant', () => {
  test('fires when timeouts are most of the failures, with the concurrency cap halved', () => {
    const ops = opsWith({ ...healthyOp('search'), errors: { timeout: 1200 } });
    const [f] = timeoutDominant.evaluate(buildDoc(ops), rules({ timeoutSetting: 'AUDIT_TIMEOUT_SECONDS', concurrencySetting: 'MAX_CONCURRENT_AUDITS' }));
    const timeouts = 200 + 1200 + 75;
    expect(f.evidence[0]).toContain(`1,475 timeout failures: ${((timeouts / failures(ops)) * 100).toFixed(1)} % of the ${failures(ops).toLocaleString('en-US')} failures`);
    expect(f.severity).toBe('medium'); // 1.475 % of traffic
    expect(f.cause).toBe('timeout:search');
    expect(f.action).toContain('export AUDIT_TIMEOUT_SECONDS=60');
    expect(f.action).toContain('export MAX_CONCURRENT_AUDITS=8');
    expect(timeoutDominant.evaluate(buildDoc(ops), rules())[0].action).toMatch(/^raise the timeout to 60 s \(the current timeout is not in the logs or the config; oplens assumed 30 s\) or cap concurrency at 8 /);
  });

  test('near miss: timeouts at 45 % of failures do not dominate', () => {
    const ops = opsWith({ ...healthyOp('search'), errors: { timeout: 240, rate_limit: 19 } });
    expect((200 + 240 + 75) / failures(ops)).toBeCloseTo(0.447, 3);
    expect(timeoutDominant.evaluate(buildDoc(ops), rules())).toEqual([]);
  });
});

describe('connection-errors', () => {
  const withPeer = (message: string) => {
    const doc = buildDoc(opsWith({ ...healthyOp('GET /api/orders'), errors: { timeout: 200, connection: 1200 } }));
    for (const g of doc.errorGroups) if (g.category === 'connection') g.example = message;
    return connectionErrors.evaluate(doc, rules())[0];
  };

  test('fires with the error codes; without a peer in the messages the advice names no client', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('GET /api/orders'), errors: { timeout: 200, connection: 1200 } }));
    const [f] = connectionErrors.evaluate(doc, rules());
    expect(f.severity).toBe('medium'); // 1.2 % of traffic
    expect(f.evidence.join('\n')).toContain('error codes: ECONNRESET ×1,200');
    expect(f.action).not.toContain('keepAlive');
    expect(f.action).toContain('Log the peer address');
    expect(f.cause).toBe('connection:GET /api/orders');
  });

  test('counts the categories the log wrote that are connection failures, and names them as written', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('GET /api/orders'), errors: { network: 187, connection: 12 } }));
    const [f] = connectionErrors.evaluate(doc, rules());
    expect(f.evidence[0]).toContain('199 connection failures (as the logs name them: network 187, connection 12)');
    expect(f.cause).toBe('connection:GET /api/orders');
  });

  test('a reset from port 5432 points at the PostgreSQL pool, not HTTP keep-alive', () => {
    const f = withPeer('read ECONNRESET from 10.0.1.124:5432');
    expect(f.title).toContain('PostgreSQL (port 5432)');
    expect(f.action).toContain('new Pool({ max: 20');
    expect(f.action).not.toContain('http.Agent');
  });

  test('a reset from an HTTPS peer points at the HTTP client keep-alive', () => {
    const f = withPeer('socket hang up (api.payments.example:443)');
    expect(f.title).toContain('HTTPS (port 443)');
    expect(f.action).toContain('keepAlive: true');
  });

  test('Redis by URL scheme', () => {
    expect(withPeer('connect ECONNREFUSED redis://cache').title).toContain('Redis (port 6379)');
  });

  test('near miss: 19 connection failures are under minFailures', () => {
    expect(connectionErrors.evaluate(buildDoc(), rules())).toEqual([]);
  });
});

describe('rate-limited', () => {
  test('fires on 429s with the peak minute and a backoff action', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('search'), errors: { rate_limit: 6000 } }));
    const [f] = rateLimited.evaluate(doc, rules());
    expect(f.severity).toBe('high'); // 6 % of traffic
    expect(f.evidence.join('\n')).toContain('search: peak');
    expect(f.action).toContain('Retry-After');
  });

  test('near miss: 19 rate-limited calls do not fire', () => {
    expect(rateLimited.evaluate(buildDoc(), rules())).toEqual([]);
  });
});

describe('retry-storm', () => {
  test('fires when an operation retries more than 10 % of its events', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('search'), retryRate: 0.3, retriesPerEvent: 0.6 }));
    const [f] = retryStorm.evaluate(doc, rules());
    expect(f.severity).toBe('medium');
    expect(f.evidence[0]).toContain('search: 30 % of 12,000 events were retried, 0.60 retries per event');
    expect(f.impact).toBeCloseTo((12_000 * 0.3) / 100_000, 6);
  });

  test('near miss: 5 % retried does not fire; a rising retry series does', () => {
    const doc = buildDoc(opsWith({ ...healthyOp('search'), retryRate: 0.05, retriesPerEvent: 0.05 }));
    expect(retryStorm.evaluate(doc, rules())).toEqual([]);
    doc.trends.series.forEach((p, i) => (p.retriesPerEvent = 0.01 + 0.02 * i));
    const [f] = retryStorm.evaluate(doc, rules());
    expect(f.evidence[0]).toContain('retries per event rose from 0.02 to 0.12');
  });
});

describe('error-spike', () => {
  test('points to the bucket and its top error group', () => {
    const doc = buildDoc();
    // The spike's top group is counted over its hour: 560 of the hour's 700 failures.
    const top = { ...doc.errorGroups.find((g) => g.op === 'search' && g.category === 'timeout')!, count: 560 };
    doc.trends.spikes = [{ at: FROM + 2 * 86_400_000, count: 2000, errorCount: 700, errorRate: 0.35, typicalErrorRate: 0.014, topGroup: top }];
    const [f] = errorSpike.evaluate(doc, rules());
    expect(f.severity).toBe('medium');
    expect(f.evidence[0]).toBe('2026-11-11 00:00Z (hour): 700 of 2,000 events failed (35 %) against a typical 1.4 % per hour');
    expect(f.evidence[1]).toContain('top error group of the hour: timeout in search');
    expect(f.evidence[1]).toContain("×560 (80 % of the hour's failures)");
    expect(f.commands).toEqual(['oplens incident --at 2026-11-11T00:30Z --window 2h']);
    expect(f.cause).toBe('timeout:search');
  });

  test('near miss: a spike of 12 failures is under minFailures', () => {
    const doc = buildDoc();
    doc.trends.spikes = [{ at: FROM, count: 20, errorCount: 12, errorRate: 0.6, typicalErrorRate: 0.014, topGroup: null }];
    expect(errorSpike.evaluate(doc, rules())).toEqual([]);
  });
});
