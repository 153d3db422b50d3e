import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { writeLog } from '../../fixtures/generate-log.mjs';
import { query, runCli, spawnCli, storedCount, tmpDir } from '../helpers/cli.js';

const exit = (child: ReturnType<typeof spawnCli>) => new Promise<number | null>((r) => child.on('exit', (code) => r(code)));

function integrity(db: string): string {
  return query<{ integrity_check: string }>(db, 'PRAGMA integrity_check')[0].integrity_check;
}

describe('faults', () => {
  it('20 SIGKILLs at random points of ingest, then a final run: exact counts, clean database', async () => {
    const dir = tmpDir('oplens-kill-');
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    await writeLog(path.join(logs, 'a.jsonl'), { seed: 1, count: 120_000 });
    await writeLog(path.join(logs, 'b.jsonl.gz'), { seed: 2, count: 60_000 });
    await writeLog(path.join(logs, 'c.log'), { seed: 3, count: 40_000 });
    const db = path.join(dir, 'oplens.db');
    // Deterministic "random" kill points spread over the run.
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20; i++) {
      const child = spawnCli(['--db', db, 'ingest', logs]);
      const exited = exit(child); // listen first: a late run may finish before the kill
      await new Promise((r) => setTimeout(r, 60 + rand() * 400));
      child.kill('SIGKILL');
      await exited;
    }
    const r = runCli(['--db', db, 'ingest', logs]);
    expect(r.code, r.stderr).toBe(0);
    expect(storedCount(db)).toBe(220_000);
    expect(query(db, 'SELECT sum(n) AS n FROM event_chunks')[0]).toEqual({ n: 220_000 });
    expect(query(db, 'SELECT count(*) AS n FROM quarantine')[0]).toEqual({ n: 0 });
    expect(integrity(db)).toBe('ok');
  });

  it('two ingest processes on the same files and database count each line once', async () => {
    const dir = tmpDir('oplens-two-');
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    for (let i = 0; i < 4; i++) await writeLog(path.join(logs, `f${i}.jsonl`), { seed: 10 + i, count: 40_000 });
    const db = path.join(dir, 'oplens.db');
    runCli(['--db', db, 'status']); // nothing yet: both start on a fresh database
    const a = spawnCli(['--db', db, 'ingest', logs]);
    const b = spawnCli(['--db', db, 'ingest', logs]);
    const [ca, cb] = await Promise.all([exit(a), exit(b)]);
    expect([ca, cb]).toEqual([0, 0]);
    expect(storedCount(db)).toBe(160_000);
    expect(query(db, 'SELECT sum(n) AS n FROM event_chunks')[0]).toEqual({ n: 160_000 });
    expect(integrity(db)).toBe('ok');
  });

  it('a database on a read-only path gives a clear error', () => {
    const dir = tmpDir('oplens-ro-');
    fs.writeFileSync(path.join(dir, 'a.jsonl'), '{"timestamp":1763632800000,"operation":"x","duration":1}\n');
    const r = runCli(['--db', '/proc/oplens.db', 'ingest', path.join(dir, 'a.jsonl')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^oplens: database \/proc\/oplens\.db cannot be opened for writing/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a database locked by another writer gives a clear error and stays consistent', () => {
    const dir = tmpDir('oplens-lock-');
    const db = path.join(dir, 'oplens.db');
    const f = path.join(dir, 'a.jsonl');
    fs.writeFileSync(f, '{"timestamp":1763632800000,"operation":"x","duration":1}\n');
    expect(runCli(['--db', db, 'ingest', f]).code).toBe(0);
    fs.appendFileSync(f, '{"timestamp":1763632801000,"operation":"x","duration":2}\n');
    // Another process holds the write lock for longer than oplens waits (busy timeout shortened for the test).
    const holder = execFileSync(process.execPath, ['-e', `
      const D = require('better-sqlite3'); const db = new D(${JSON.stringify(db)});
      db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked');
      const { spawnSync } = require('child_process');
      const r = spawnSync(process.execPath, [${JSON.stringify(path.resolve('dist/cli/main.js'))}, '--db', ${JSON.stringify(db)}, 'ingest', ${JSON.stringify(f)}],
        { encoding: 'utf8', env: { ...process.env, OPLENS_BUSY_TIMEOUT_MS: '300' } });
      db.exec('ROLLBACK'); process.stdout.write(JSON.stringify({ code: r.status, stderr: r.stderr }));
    `], { encoding: 'utf8', cwd: path.resolve('.'), env: { ...process.env, NODE_PATH: path.resolve('node_modules') } });
    const r = JSON.parse(holder.replace(/^locked/, ''));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is locked by another process/);
    expect(storedCount(db)).toBe(1);
    expect(integrity(db)).toBe('ok');
    expect(runCli(['--db', db, 'ingest', f]).code).toBe(0);
    expect(storedCount(db)).toBe(2);
  });

  it('a full disk gives a clear error and leaves the store consistent', async () => {
    const dir = tmpDir('oplens-full-');
    const mnt = path.join(dir, 'small');
    fs.mkdirSync(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]);
    } catch (e) {
      throw new Error(`this test mounts a 256 KiB tmpfs and needs root: ${(e as Error).message}`);
    }
    try {
      const db = path.join(mnt, 'oplens.db');
      const f = path.join(dir, 'a.jsonl');
      await writeLog(f, { seed: 5, count: 20_000 });
      const r = runCli(['--db', db, 'ingest', f]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/disk is full|disk I\/O error/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(integrity(db)).toBe('ok');
      // What was committed before the disk filled is a whole number of batches with their checkpoint.
      const cp = query<{ events: number }>(db, 'SELECT coalesce(sum(events), 0) AS events FROM files')[0].events;
      expect(storedCount(db)).toBe(cp);
    } finally {
      execFileSync('umount', ['-l', mnt]);
    }
  });
});
