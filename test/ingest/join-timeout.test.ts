import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';

/** Fastify request lines (pino), as in fixtures/real/fastify. */
const T0 = Date.UTC(2026, 10, 10, 9, 0, 0);
const line = (o: object) => JSON.stringify({ level: 30, pid: 1, hostname: 'h', ...o });
const start = (id: string, t: number, url: string) => line({ time: t, reqId: id, req: { method: 'GET', url }, msg: 'incoming request' });
const finish = (id: string, t: number, ms: number) => line({ time: t, reqId: id, res: { statusCode: 200 }, responseTime: ms, msg: 'request completed' });
const PAST = new Date('2026-11-10T10:00:00Z');

function figures(dir: string, db: string): { count: number; errors: number; unfinished: number } {
  const a = runCli(['--db', db, 'analyze', '--since', '2026-11-10', '--until', '2026-11-11', '--exact', '--format', 'json', '--no-compare'], { cwd: dir });
  expect(a.code, a.stderr).toBe(0);
  const doc = JSON.parse(a.stdout);
  const unfinished = doc.errorCategories.find((c: any) => c.category === 'unfinished')?.count ?? 0;
  return { count: doc.overall.count, errors: doc.overall.errorCount, unfinished };
}

function setup(config?: object): { dir: string; db: string; log: string; ingest: (...paths: string[]) => string } {
  const dir = tmpDir('oplens-join-timeout-');
  const db = path.join(dir, 'oplens.db');
  fs.mkdirSync(path.join(dir, 'logs'));
  if (config) fs.writeFileSync(path.join(dir, 'oplens.config.json'), JSON.stringify(config));
  const ingest = (...paths: string[]) => {
    const r = runCli(['--db', db, 'ingest', ...paths], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    return r.stdout + r.stderr;
  };
  return { dir, db, log: path.join(dir, 'logs/api.log'), ingest };
}

describe('the join timeout is configurable', () => {
  // /hang starts at T0 and never finishes; the log goes on for two minutes.
  const lines = [start('req-1', T0, '/hang'), start('req-2', T0 + 10, '/ok'), finish('req-2', T0 + 20, 9), start('req-3', T0 + 120_000, '/ok'), finish('req-3', T0 + 120_010, 4)];

  it('by default (5 minutes) a start two minutes old still waits', () => {
    const { dir, db, log, ingest } = setup();
    fs.writeFileSync(log, lines.join('\n') + '\n');
    expect(ingest(log)).toMatch(/1 request waiting for its finish line/);
    expect(figures(dir, db)).toEqual({ count: 2, errors: 0, unfinished: 0 });
  });

  it('ingest.joinTimeoutSeconds: 60 counts it unfinished, and the summary names the timeout', () => {
    const { dir, db, log, ingest } = setup({ ingest: { joinTimeoutSeconds: 60 } });
    fs.writeFileSync(log, lines.join('\n') + '\n');
    expect(ingest(log)).toMatch(/1 unfinished \(a start line and no finish within 1 min\)/);
    expect(figures(dir, db)).toEqual({ count: 3, errors: 1, unfinished: 1 });
  });

  it('a bad value is a config error that names the key', () => {
    const { dir, db, log } = setup({ ingest: { joinTimeoutSeconds: 0 } });
    fs.writeFileSync(log, lines.join('\n') + '\n');
    const r = runCli(['--db', db, 'ingest', log], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ingest.joinTimeoutSeconds');
  });
});

describe('a start waiting in a file that is no longer written is counted unfinished after the timeout', () => {
  it('rotated by rename and never written again: the next run counts it once, later runs do not count it again', () => {
    const { dir, db, log, ingest } = setup();
    fs.writeFileSync(log, [start('req-1', T0, '/hang'), start('req-2', T0 + 10, '/ok'), finish('req-2', T0 + 20, 9)].join('\n') + '\n');
    expect(ingest(log)).toMatch(/1 request waiting/);
    // Rotation: the old file is renamed, and has not been written since long before the timeout.
    fs.renameSync(log, `${log}.1`);
    fs.utimesSync(`${log}.1`, PAST, PAST);
    fs.writeFileSync(log, [start('req-1', T0 + 60_000, '/ok'), finish('req-1', T0 + 60_010, 3)].join('\n') + '\n');
    const second = ingest(log);
    expect(second).toMatch(/1 unfinished/);
    expect(second).not.toMatch(/waiting/);
    expect(figures(dir, db)).toEqual({ count: 3, errors: 1, unfinished: 1 });
    const third = ingest(log);
    expect(third).not.toMatch(/unfinished|waiting/);
    expect(figures(dir, db)).toEqual({ count: 3, errors: 1, unfinished: 1 });
  });

  it('moved out of the ingested paths: ended from when it was last seen, once the timeout has passed', async () => {
    const { dir, db, log, ingest } = setup();
    fs.writeFileSync(log, [start('req-1', T0, '/hang'), start('req-2', T0 + 10, '/ok'), finish('req-2', T0 + 20, 9)].join('\n') + '\n');
    expect(ingest(log)).toMatch(/1 request waiting/);
    // From now on a second without a write ends a file.
    fs.writeFileSync(path.join(dir, 'oplens.config.json'), JSON.stringify({ ingest: { joinTimeoutSeconds: 1 } }));
    fs.mkdirSync(path.join(dir, 'archive'));
    fs.renameSync(log, path.join(dir, 'archive/api.log.1'));
    fs.writeFileSync(log, [start('req-9', T0 + 60_000, '/ok'), finish('req-9', T0 + 60_010, 3)].join('\n') + '\n');
    // The old file was last seen (read) just now: wait until the one-second timeout has surely passed since.
    await new Promise((r) => setTimeout(r, 1500));
    expect(ingest(log)).toMatch(/1 unfinished/);
    expect(figures(dir, db)).toEqual({ count: 3, errors: 1, unfinished: 1 });
  });

  it('a file still being written keeps its starts waiting', () => {
    const { dir, db, log, ingest } = setup();
    fs.writeFileSync(log, [start('req-1', T0, '/slow'), start('req-2', T0 + 10, '/ok'), finish('req-2', T0 + 20, 9)].join('\n') + '\n');
    expect(ingest(log)).toMatch(/1 request waiting/);
    expect(ingest(log)).not.toMatch(/unfinished/);
    fs.appendFileSync(log, finish('req-1', T0 + 30_000, 29_990) + '\n');
    ingest(log);
    expect(figures(dir, db)).toEqual({ count: 2, errors: 0, unfinished: 0 });
  });
});
