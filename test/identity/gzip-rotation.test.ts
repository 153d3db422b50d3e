import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest, type IngestSummary } from '../../src/pipeline/ingest.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tmpDir } from '../helpers/cli.js';

let dir: string;
let store: SqliteStore;
let next = 0;
const written: string[] = [];

beforeEach(() => {
  dir = tmpDir();
  fs.mkdirSync(path.join(dir, 'logs'));
  store = openSqliteStore(path.join(dir, 'oplens.db'));
  next = 0;
  day = 0;
  written.length = 0;
});
afterEach(() => store.close());

const log = (name: string) => path.join(dir, 'logs', name);

/** Appends `n` lines, each its own operation, so the store can be checked line by line. */
function append(name: string, n: number): void {
  const lines = Array.from({ length: n }, () => {
    const op = `r${next++}`;
    written.push(op);
    return JSON.stringify({ timestamp: Date.UTC(2026, 10, 20, 12) + next, operation: op, duration: 3, success: true });
  });
  fs.appendFileSync(log(name), lines.join('\n') + '\n');
}

/**
 * logrotate with `dateext`, `extension .log`, `compress` and `delaycompress`: yesterday's `app-DATE.log` is
 * compressed to `app-DATE.log.gz` (and removed), the live file becomes today's `app-DATE.log`. Every name is one
 * `ingest logs/` lists.
 */
let day = 0;
const dated = (d: number) => `app-202611${String(10 + d).padStart(2, '0')}.log`;
function rotate(): void {
  if (day > 0) compressAway(dated(day - 1), `${dated(day - 1)}.gz`);
  fs.renameSync(log('app.log'), log(dated(day)));
  fs.writeFileSync(log('app.log'), '');
  day++;
}

/** gzip FILE > TO, then rm FILE, as logrotate's compress step does. */
function compressAway(file: string, to: string): void {
  fs.writeFileSync(log(to), zlib.gzipSync(fs.readFileSync(log(file))));
  fs.rmSync(log(file));
}

function counts(): Map<string, number> {
  const rows = store.db.prepare('SELECT o.name AS op, sum(m.count) AS n FROM minute_stats m JOIN ops o ON o.id = m.op_id GROUP BY o.name').all() as Array<{ op: string; n: number }>;
  return new Map(rows.map((r) => [r.op, r.n]));
}

function expectExactlyOnce(): void {
  const c = counts();
  expect(written.filter((op) => c.get(op) !== 1)).toEqual([]);
  expect([...c.keys()].filter((op) => !written.includes(op))).toEqual([]);
}

/** A cron `ingest logs/` during which logrotate compresses yesterday's file away (listed, not read yet). */
function ingestWhileCompressing(extraLines = 0): Promise<IngestSummary> {
  const name = dated(day - 1);
  let compressed = false;
  return ingest({
    store, paths: [path.join(dir, 'logs')],
    onFile: (f) => {
      if (compressed) return;
      expect(f.path, 'the file to compress comes later in the listing').not.toBe(log(name));
      compressed = true;
      if (extraLines) append(name, extraLines);
      compressAway(name, `${name}.gz`);
    },
  });
}

const noteOf = (s: IngestSummary, name: string) => s.files.find((f) => f.path === log(name));

describe('logrotate with compress and delaycompress under a cron ingest', () => {
  it('a rotated file compressed away after it was read whole: nothing said, nothing lost, nothing twice', async () => {
    append('app.log', 40);
    await ingest({ store, paths: [path.join(dir, 'logs')] });
    for (let d = 0; d < 3; d++) {
      append('app.log', 20);
      rotate();
      append('app.log', 10);
      const s = await ingest({ store, paths: [path.join(dir, 'logs')] });
      expect(s.files.filter((f) => f.status === 'gone'), `day ${d}`).toEqual([]);
    }
    // Yesterday's file was read to its end by the last run; logrotate compresses it while the next run goes on.
    append('app.log', 5);
    const s = await ingestWhileCompressing();
    expect(s.files.filter((f) => f.status === 'gone')).toEqual([]);
    expect(noteOf(s, dated(day - 1))?.status).toBe('unchanged');
    await ingest({ store, paths: [path.join(dir, 'logs')] });
    expectExactlyOnce();
  });

  it('lines a late writer appended after the last read move with the compressed file and are read from it, once', async () => {
    append('app.log', 30);
    await ingest({ store, paths: [path.join(dir, 'logs')] });
    for (let d = 0; d < 2; d++) {
      append('app.log', 10);
      rotate();
      append('app.log', 10);
      await ingest({ store, paths: [path.join(dir, 'logs')] });
    }
    const s = await ingestWhileCompressing(7);
    expect(s.files.filter((f) => f.status === 'gone')).toEqual([]);
    await ingest({ store, paths: [path.join(dir, 'logs')] });
    expectExactlyOnce();
  });

  it('a file never read, compressed away before its turn: the note says where its lines are read from, and they are, once', async () => {
    append('app.log', 30);
    await ingest({ store, paths: [path.join(dir, 'logs')] });
    append('worker-20261111.log', 12); // a new writer's file, not read yet
    let compressed = false;
    const s = await ingest({
      store, paths: [path.join(dir, 'logs')],
      onFile: () => {
        if (compressed) return;
        compressed = true;
        compressAway('worker-20261111.log', 'worker-20261111.log.gz');
      },
    });
    const gone = noteOf(s, 'worker-20261111.log');
    expect(gone?.status).toBe('gone');
    expect(gone?.note).toMatch(/read from the file it was rotated to, under that name/);
    await ingest({ store, paths: [path.join(dir, 'logs')] });
    expectExactlyOnce();
  });
});
