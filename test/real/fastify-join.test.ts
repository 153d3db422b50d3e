import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';
import { REAL, expectSameFigures, fastifyFigures, ingestAndAnalyze } from './real-corpus.js';

const FILE = 'fastify/fastify-default-logger.log';

describe('Fastify default logger: a request is two lines (and an error line) joined by reqId', () => {
  const want = fastifyFigures(FILE);

  it('the sample holds requests with thrown errors and 4xx, each with a start line', () => {
    expect(want.count).toBeGreaterThan(30);
    expect(want.errors).toBeGreaterThan(5);
    expect(want.times.every((t) => t !== undefined)).toBe(true);
  });

  it('reads with no config: count, errors exactly, p50/p95 within 1 %', () => {
    const run = ingestAndAnalyze(FILE, want.times);
    expect(run.ingest.stderr + run.ingest.stdout).toContain('format fastify');
    expectSameFigures(run, want);
    // The operation is the start line's method and route, the error the thrown one's message.
    const ops = Object.fromEntries(run.doc.operations.map((o: any) => [o.op, o.count]));
    expect(ops['GET /boom']).toBe(3);
    expect(run.doc.errorGroups.some((g: any) => g.example.includes('inventory service unavailable'))).toBe(true);
  });

  it('joins across batch commits and across runs: the pending starts are kept with the checkpoint', () => {
    const dir = tmpDir('oplens-join-');
    const log = path.join(dir, 'api.log');
    const db = path.join(dir, 'oplens.db');
    // Tiny batches commit between a start and its finish.
    fs.writeFileSync(path.join(dir, 'oplens.config.json'), JSON.stringify({ ingest: { batchLines: 3 } }));
    const lines = fs.readFileSync(path.join(REAL, FILE), 'utf8').split('\n');
    // Cut after an `incoming request` whose `request completed` comes later: the second run must finish it.
    const cut = lines.findIndex((l) => l.includes('"incoming request"') && l.includes('/slow/')) + 1;
    fs.writeFileSync(log, lines.slice(0, cut).join('\n') + '\n');
    const first = runCli(['--db', db, 'ingest', log], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout + first.stderr).toMatch(/1 request waiting for its finish line/);
    fs.appendFileSync(log, lines.slice(cut).join('\n'));
    const second = runCli(['--db', db, 'ingest', log], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    const a = runCli(['--db', db, 'analyze', '--since', '2026-01-01', '--until', '2027-12-01', '--exact', '--format', 'json', '--no-compare'], { cwd: dir });
    const doc = JSON.parse(a.stdout);
    const o = doc.overall;
    expect({ count: o.count, errors: o.errorCount, durations: o.durationCount }).toEqual({ count: want.count, errors: want.errors, durations: want.count });
    // Every finish met its start: none is left without the method and route only the start line carries.
    const ops = Object.fromEntries(doc.operations.map((x: any) => [x.op, x.count]));
    expect(ops).not.toHaveProperty('(request whose start was not read)');
    expect(ops['GET /slow/:id']).toBe(5);
  });

  it('a start that never finishes is counted as unfinished once the log has moved on past the timeout', () => {
    const dir = tmpDir('oplens-join-');
    const log = path.join(dir, 'api.log');
    const db = path.join(dir, 'oplens.db');
    const t0 = Date.UTC(2026, 10, 10, 9, 0, 0);
    const line = (o: object) => JSON.stringify({ level: 30, pid: 1, hostname: 'h', ...o });
    fs.writeFileSync(log, [
      line({ time: t0, reqId: 'req-1', req: { method: 'GET', url: '/hang' }, msg: 'incoming request' }),
      line({ time: t0 + 10, reqId: 'req-2', req: { method: 'GET', url: '/ok' }, msg: 'incoming request' }),
      line({ time: t0 + 20, reqId: 'req-2', res: { statusCode: 200 }, responseTime: 9.5, msg: 'request completed' }),
      // Six minutes later: req-1 has been waiting past the 5-minute timeout.
      line({ time: t0 + 360_000, reqId: 'req-3', req: { method: 'GET', url: '/ok' }, msg: 'incoming request' }),
      line({ time: t0 + 360_010, reqId: 'req-3', res: { statusCode: 200 }, responseTime: 4, msg: 'request completed' }),
    ].join('\n') + '\n');
    expect(runCli(['--db', db, 'ingest', log], { cwd: dir }).code).toBe(0);
    const a = runCli(['--db', db, 'analyze', '--since', '2026-11-10', '--until', '2026-11-11', '--exact', '--format', 'json', '--no-compare'], { cwd: dir });
    const doc = JSON.parse(a.stdout);
    expect({ count: doc.overall.count, errors: doc.overall.errorCount, durations: doc.overall.durationCount }).toEqual({ count: 3, errors: 1, durations: 2 });
    expect(doc.errorCategories).toEqual([expect.objectContaining({ category: 'unfinished', count: 1, ops: [{ op: 'GET /hang', count: 1 }] })]);
  });

  it('stdin ends for good: starts still waiting at its end are unfinished', () => {
    const dir = tmpDir('oplens-join-');
    const db = path.join(dir, 'oplens.db');
    const t0 = Date.UTC(2026, 10, 10, 9, 0, 0);
    const input = JSON.stringify({ level: 30, time: t0, reqId: 'req-1', req: { method: 'POST', url: '/upload' }, msg: 'incoming request' }) + '\n';
    const r = runCli(['--db', db, 'ingest', '-'], { cwd: dir, input });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/1 unfinished/);
  });
});
