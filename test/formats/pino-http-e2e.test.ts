import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import pinoHttp from 'pino-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sketchQuantiles } from '../../src/aggregate/sketch.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { query, tmpDir } from '../helpers/cli.js';

/**
 * The real thing: a fastify server logging with pino-http to a file, loaded by autocannon for about 3 s, the log
 * ingested by oplens. Every number oplens stores is checked against what the load generator and the server counted.
 */
const SLOW_MS = 50;
const CONNECTIONS = 8;
// A fixed amount rather than a duration, so no request is cut off in flight: every one sent is answered and logged.
// Each connection cycles through the four routes and waits SLOW_MS once per cycle: 1600 / 8 / 4 cycles take ~2.5-3 s.
// (No overallRate: with it autocannon's requests.sent counts throttled attempts too.)
const AMOUNT = 1600;

interface RouteCount {
  count: number;
  errors: number;
}

describe('pino-http log of a loaded fastify server', () => {
  const dir = tmpDir('oplens-e2e-');
  const logFile = path.join(dir, 'api.log');
  const dbPath = path.join(dir, 'oplens.db');
  const served = new Map<string, RouteCount>(); // the server's own counters, by route template
  let app: FastifyInstance;
  let result: autocannon.Result;

  beforeAll(async () => {
    const dest = pino.destination({ dest: logFile, sync: true });
    const httpLogger = pinoHttp({ logger: pino(dest) });
    app = Fastify();
    app.addHook('onRequest', (req, reply, done) => {
      httpLogger(req.raw, reply.raw);
      done();
    });
    app.addHook('onResponse', (req, reply, done) => {
      const key = `${req.method} ${req.routeOptions.url}`;
      const c = served.get(key) ?? { count: 0, errors: 0 };
      c.count++;
      if (reply.statusCode >= 400) c.errors++;
      served.set(key, c);
      done();
    });
    let orders = 0;
    let searches = 0;
    app.get('/items/:id', async () => ({ ok: true }));
    app.post('/orders', async (_req, reply) => reply.code(++orders % 3 === 0 ? 500 : 201).send({}));
    app.get('/search', async (_req, reply) => reply.code(++searches % 4 === 0 ? 429 : 200).send({}));
    app.get('/report/:id', async () => {
      await sleep(SLOW_MS);
      return { ok: true };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });

    let id = 0;
    const withId = (prefix: string) => (req: any) => ({ ...req, path: `${prefix}${++id}` });
    result = await autocannon({
      url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      connections: CONNECTIONS,
      amount: AMOUNT,
      timeout: 5,
      requests: [
        { method: 'GET', path: '/items/0', setupRequest: withId('/items/') },
        { method: 'POST', path: '/orders' },
        { method: 'GET', path: '/search', setupRequest: withId('/search?q=') },
        { method: 'GET', path: '/report/0', setupRequest: withId('/report/') },
      ],
    });
    await app.close();
    dest.flushSync();

    const store = openSqliteStore(dbPath);
    try {
      await ingest({ store, paths: [logFile] });
    } finally {
      await store.close();
    }
  }, 30_000);

  afterAll(async () => {
    await app?.close();
  });

  const perOp = () =>
    Object.fromEntries(
      query<{ op: string; count: number; errors: number }>(
        dbPath,
        `SELECT o.name AS op, sum(m.count) AS count, sum(m.error_count) AS errors
         FROM minute_stats m JOIN ops o ON o.id = m.op_id GROUP BY o.name`,
      ).map((r) => [r.op, { count: r.count, errors: r.errors }]),
    );

  it('reads the log as pino-http', () => {
    expect(query<{ format: string }>(dbPath, 'SELECT format FROM files')).toEqual([{ format: 'pino-http' }]);
  });

  it('counts exactly the requests autocannon sent and got answers for', () => {
    expect(result.errors).toBe(0);
    expect(result.requests.sent).toBe(AMOUNT);
    expect(result.requests.total).toBe(AMOUNT);
    const stored = query<{ n: number }>(dbPath, 'SELECT sum(count) AS n FROM minute_stats')[0].n;
    expect(stored).toBe(result.requests.sent);
    const logged = fs.readFileSync(logFile, 'utf8').trim().split('\n').length;
    expect(stored).toBe(logged);
  });

  it('has per-route counts and error counts equal to the server\'s own counters', () => {
    const want = Object.fromEntries([...served.entries()].map(([route, c]) => [route, c]));
    expect(Object.keys(want).sort()).toEqual(['GET /items/:id', 'GET /report/:id', 'GET /search', 'POST /orders']);
    expect(perOp()).toEqual(want);
    // autocannon saw the same failures from the outside.
    const by = result.statusCodeStats as Record<string, { count: number }>;
    expect(perOp()['POST /orders'].errors).toBe(by['500']?.count);
    expect(perOp()['GET /search'].errors).toBe(by['429']?.count);
  });

  it('finds the slow route the slowest operation at p50', () => {
    const rows = query<{ op: string; bucket: number; n: number }>(
      dbPath,
      'SELECT o.name AS op, h.bucket, sum(h.n) AS n FROM hour_hist h JOIN ops o ON o.id = h.op_id GROUP BY o.name, h.bucket',
    );
    const hists = new Map<string, Map<number, number>>();
    for (const r of rows) {
      if (!hists.has(r.op)) hists.set(r.op, new Map());
      hists.get(r.op)!.set(r.bucket, r.n);
    }
    const p50 = Object.fromEntries([...hists].map(([op, h]) => [op, sketchQuantiles(h, [0.5])[0]]));
    const slowest = Object.entries(p50).sort((a, b) => b[1] - a[1])[0];
    expect(slowest[0]).toBe('GET /report/:id');
    expect(slowest[1]).toBeGreaterThanOrEqual(SLOW_MS * 0.99); // the sketch's 1 % bound below the sleep
  });
});
