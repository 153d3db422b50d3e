import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/ingest.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli, storedCount, tmpDir } from '../helpers/cli.js';

function lines(n: number, from = 0): string {
  let s = '';
  for (let i = from; i < from + n; i++) {
    s += JSON.stringify({ timestamp: new Date(Date.UTC(2026, 10, 20, 10) + i * 1000).toISOString(), operation: `op${i % 3}`, duration: i % 50, success: true }) + '\n';
  }
  return s;
}

describe('gzip is recognised by its content', () => {
  it('a gzip file under a plain name, and a plain file under a .gz name, both read', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'rotated.log'), zlib.gzipSync(lines(7)));
    fs.writeFileSync(path.join(dir, 'not-really.jsonl.gz'), lines(5, 100));
    const db = path.join(dir, 'db');
    const r = runCli(['--db', db, 'ingest', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(storedCount(db)).toBe(12);
    expect(r.stderr).toMatch(/ingested 12 events from 2 files/);
  });

  it('gzip on standard input is decompressed (cat x.gz | oplens ingest -)', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const r = runCli(['--db', db, 'ingest', '-'], { input: zlib.gzipSync(lines(9)) });
    expect(r.code, r.stderr).toBe(0);
    expect(storedCount(db)).toBe(9);
    expect(runCli(['--db', db, 'ingest', '-'], { input: lines(4) }).code).toBe(0);
    expect(storedCount(db)).toBe(13);
  });
});

describe('the progress total is what will be read', () => {
  async function run(db: string, paths: string[]) {
    const store = openSqliteStore(db);
    const seen = { total: -1, read: 0 };
    try {
      await ingest({ store, paths, onTotal: (b) => (seen.total = b), onProgress: (b) => (seen.read += b) });
    } finally {
      await store.close();
    }
    return seen;
  }

  it('counts files found in directories and globs, gzip by its compressed size, and not what earlier runs read', async () => {
    const dir = tmpDir();
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(path.join(logs, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(logs, 'a.jsonl'), lines(200));
    fs.writeFileSync(path.join(logs, 'sub', 'b.log.gz'), zlib.gzipSync(lines(300, 1000)));
    fs.writeFileSync(path.join(logs, 'sub', 'c.log'), zlib.gzipSync(lines(50, 5000)));
    const size = (p: string) => fs.statSync(path.join(logs, p)).size;
    const db = path.join(dir, 'db');

    const first = await run(db, [logs]);
    expect(first.total).toBe(size('a.jsonl') + size('sub/b.log.gz') + size('sub/c.log'));
    expect(first.read).toBe(first.total);

    const more = lines(40, 200);
    fs.appendFileSync(path.join(logs, 'a.jsonl'), more);
    const second = await run(db, [path.join(logs, '**/*.{jsonl,log,gz}')]);
    expect(second.total).toBe(Buffer.byteLength(more));
    expect(second.read).toBe(second.total);
    expect(storedCount(db)).toBe(590);
  });
});
