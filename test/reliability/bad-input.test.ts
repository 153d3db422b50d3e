import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { ingest, type IngestSummary } from '../../src/pipeline/ingest.js';
import type { Db } from '../../src/store/sqlite/open-store.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tmpDir } from '../helpers/cli.js';

const TS = '2026-11-20T10:00:00.000Z';
const ok = (extra: Record<string, unknown> = {}) => JSON.stringify({ timestamp: TS, operation: 'op', duration: 5, ...extra });

let dir: string;
let db: Db;
let store: SqliteStore;
beforeEach(() => {
  dir = tmpDir('oplens-bad-');
  store = openSqliteStore(path.join(dir, 'oplens.db'));
  db = store.db;
  return () => store.close();
});

async function ingestContent(content: string | Buffer, name = 'in.jsonl', extra: Partial<Parameters<typeof ingest>[0]> = {}): Promise<IngestSummary> {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return ingest({ store, paths: [f], ...extra });
}

const count = () => (db.prepare('SELECT coalesce(sum(count),0) FROM minute_stats').pluck().get() as number);
const reasons = () => db.prepare('SELECT reason, count(*) AS n FROM quarantine GROUP BY reason ORDER BY reason').all();
const ops = () => db.prepare('SELECT name FROM ops ORDER BY name').pluck().all() as string[];

describe('bad input: each case gives its documented outcome and the run goes on', () => {
  it('an empty file waits for content, nothing is stored', async () => {
    const s = await ingestContent('');
    expect(s.files[0].status).toBe('waiting');
    expect(count()).toBe(0);
  });

  it('only blank lines: read, nothing stored, nothing quarantined', async () => {
    await ingestContent('\n\n   \n\t\n');
    expect(count()).toBe(0);
    expect(reasons()).toEqual([]);
  });

  it('a BOM and CRLF line endings are read', async () => {
    await ingestContent('\ufeff' + ok() + '\r\n' + ok() + '\r\n');
    expect(count()).toBe(2);
  });

  it('invalid UTF-8 inside a string is replaced, not fatal', async () => {
    const line = Buffer.concat([Buffer.from(`{"timestamp":"${TS}","operation":"b`), Buffer.from([0xff, 0xfe]), Buffer.from('ad","duration":1}\n')]);
    await ingestContent(Buffer.concat([line, Buffer.from(ok() + '\n')]));
    expect(count()).toBe(2);
    expect(ops()).toContain('b\ufffd\ufffdad');
  });

  it('NUL bytes make a line not JSON', async () => {
    await ingestContent(`${ok()}\n{"timestamp":"${TS}"\u0000,"operation":"x"}\n\u0000\u0000\n`);
    expect(count()).toBe(1);
    expect(reasons()).toEqual([{ reason: 'not JSON', n: 2 }]);
  });

  it('a 50 MB line is skipped with bounded memory and quarantined', async () => {
    const f = path.join(dir, 'huge.jsonl');
    const fd = fs.openSync(f, 'w');
    fs.writeSync(fd, ok() + '\n{"timestamp":"' + TS + '","operation":"op","duration":1,"pad":"');
    const block = Buffer.alloc(1 << 20, 'x');
    for (let i = 0; i < 50; i++) fs.writeSync(fd, block);
    fs.writeSync(fd, '"}\n' + ok() + '\n');
    fs.closeSync(fd);
    const before = process.memoryUsage().rss;
    await ingest({ store, paths: [f] });
    expect(process.memoryUsage().rss - before).toBeLessThan(40 << 20);
    expect(count()).toBe(2);
    const q = db.prepare('SELECT line, reason, length(snippet) AS len FROM quarantine').all();
    expect(q).toEqual([{ line: 2, reason: 'line longer than 1048576 bytes', len: 200 }]);
  });

  it('deeply nested JSON (100k levels) is read without a crash: an array of arrays is quarantined, an object without operation fields is ignored', async () => {
    const s = await ingestContent(`${'['.repeat(100_000)}${']'.repeat(100_000)}\n{"a":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_001)}\n${ok()}\n`);
    expect(count()).toBe(1);
    expect(s.ignored).toBe(1);
    expect(reasons()).toEqual([{ reason: 'an array whose elements are not all objects', n: 1 }]);
  });

  it('numbers given as strings are read', async () => {
    await ingestContent(ok({ duration: '12.5', timestamp: String(Date.parse(TS)) }) + '\n');
    expect(db.prepare('SELECT dur_sum FROM minute_stats').pluck().get()).toBe(12.5);
  });

  it('NaN, Infinity, negative and absurd durations are quarantined with their reason', async () => {
    const lines = [
      `{"timestamp":"${TS}","operation":"op","duration":NaN}`,
      `{"timestamp":"${TS}","operation":"op","duration":Infinity}`,
      ok({ duration: 'NaN' }),
      ok({ duration: 'Infinity' }),
      ok({ duration: '1e400' }),
      ok({ duration: -1 }),
      ok({ duration: 1e300 }),
    ];
    await ingestContent(lines.join('\n') + '\n');
    expect(count()).toBe(0);
    expect(reasons()).toEqual([
      { reason: 'duration is negative', n: 1 },
      { reason: 'duration is not a number', n: 2 },
      { reason: 'duration is not finite', n: 1 },
      { reason: 'duration is out of range (over a year)', n: 1 },
      { reason: 'not JSON', n: 2 },
    ]);
  });

  it('timestamps: before 1970 and far future are rejected; s, ms, ns and zones are read', async () => {
    const t = Date.parse(TS);
    const lines = [
      ok({ timestamp: '1969-12-31T23:59:59Z' }),
      ok({ timestamp: '2999-01-01T00:00:00Z' }),
      ok({ timestamp: t / 1000 }),
      ok({ timestamp: t }),
      ok({ timestamp: String(BigInt(t) * 1_000_000n) }),
      ok({ timestamp: '2026-11-20T12:00:00+02:00' }),
      ok({ timestamp: '2026-11-20T10:00:00' }),
    ];
    await ingestContent(lines.join('\n') + '\n');
    expect(count()).toBe(5);
    expect(db.prepare('SELECT DISTINCT minute FROM minute_stats').pluck().all()).toEqual([t]);
    expect(reasons()).toEqual([{ reason: 'timestamp is not readable', n: 2 }]);
  });

  it('duplicated keys: the last one wins, as in JSON.parse', async () => {
    await ingestContent(`{"timestamp":"${TS}","operation":"first","operation":"second","duration":1}\n`);
    expect(ops()).toEqual(['second']);
  });

  it('a huge error message is capped in storage', async () => {
    await ingestContent(ok({ success: false, error: { message: 'E'.repeat(200_000) } }) + '\n');
    const ex = db.prepare('SELECT example, fingerprint FROM error_groups').get() as { example: string; fingerprint: string };
    expect(ex.example.length).toBeLessThanOrEqual(1001);
    expect(ex.fingerprint.length).toBeLessThanOrEqual(301);
  });

  it('operation names with SQL quotes, HTML, braces, pipes and newlines are stored as they are', async () => {
    const names = [`'; DROP TABLE ops; --`, '<script>alert(1)</script>', '{{constructor}}', 'a|b', 'line\nbreak'];
    await ingestContent(names.map((n) => ok({ operation: n })).join('\n') + '\n');
    expect(ops()).toEqual([...names].sort());
  });

  it('a truncated gzip keeps the lines before the damage and reports the file', async () => {
    const body = Array.from({ length: 2000 }, (_, i) => ok({ duration: i })).join('\n') + '\n';
    const gz = zlib.gzipSync(body);
    const s = await ingestContent(gz.subarray(0, Math.floor(gz.length * 0.6)), 'cut.jsonl.gz');
    expect(s.files[0].status).toBe('failed');
    expect(s.files[0].note).toMatch(/gzip data is truncated or corrupt/);
    expect(count()).toBeGreaterThan(0);
    expect(count()).toBeLessThan(2000);
  });

  it('a .gz file that is not gzip is read by its content, other files go on', async () => {
    fs.writeFileSync(path.join(dir, 'fake.jsonl.gz'), ok({ duration: 1 }) + '\n');
    fs.writeFileSync(path.join(dir, 'real.jsonl'), ok({ duration: 2 }) + '\n');
    const s = await ingest({ store, paths: [dir] });
    expect(s.files.find((f) => f.path.endsWith('fake.jsonl.gz'))).toMatchObject({ status: 'read' });
    expect(count()).toBe(2);
  });

  it('a pretty-printed .json document in a directory is skipped, a JSON Lines .json file is read', async () => {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', scripts: { test: 'y' } }, null, 2) + '\n');
    fs.writeFileSync(path.join(dir, 'results.json'), ok() + '\n' + ok() + '\n');
    const s = await ingest({ store, paths: [dir] });
    expect(s.files.map((f) => [path.basename(f.path), f.status])).toEqual([['package.json', 'skipped'], ['results.json', 'read']]);
    expect(s.files[0].note).toMatch(/not JSON Lines/);
    expect(count()).toBe(2);
    expect(reasons()).toEqual([]);
  });

  it('ids in operation names cannot grow the store without bound: names past the cap are folded and counted', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => ok({ operation: `job-${i % 20}`, duration: i }));
    await ingestContent(lines.join('\n') + '\n', 'ids.jsonl', { maxOperations: 5 });
    expect(ops()).toEqual(['(other operations)', 'job-0', 'job-1', 'job-2', 'job-3', 'job-4']);
    expect(count()).toBe(40);
    const other = db.prepare("SELECT sum(count) AS n, sum(dur_sum) AS d FROM minute_stats m JOIN ops o ON o.id = m.op_id WHERE o.name = '(other operations)'").get();
    // job-5 … job-19, twice each: 30 events with durations 5..19 and 25..39.
    expect(other).toEqual({ n: 30, d: [...Array(40).keys()].filter((i) => i % 20 >= 5).reduce((a, b) => a + b, 0) });
    expect(Number(db.prepare("SELECT value FROM meta WHERE key = 'folded_ops'").pluck().get())).toBeGreaterThanOrEqual(15);
  });

  it('ids in a dimension cannot grow the store without bound: values past the cap are folded and counted', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => ok({ customer: `c-${i % 10}`, duration: i }));
    await ingestContent(lines.join('\n') + '\n', 'customers.jsonl', { formatOptions: { dimensions: { include: [], exclude: [], maxValues: 4, maxPerFile: 12 } } });
    expect(count()).toBe(30);
    expect(db.prepare("SELECT value FROM dimension_values WHERE dim = 'customer' ORDER BY value").pluck().all()).toEqual(['c-0', 'c-1', 'c-2', 'c-3']);
    expect(Number(db.prepare("SELECT value FROM meta WHERE key = 'folded_values:customer'").pluck().get())).toBeGreaterThanOrEqual(6);
  });

  it('a directory loop made of symlinks is walked once', async () => {
    fs.mkdirSync(path.join(dir, 'a'));
    fs.writeFileSync(path.join(dir, 'a', 'x.jsonl'), ok() + '\n');
    fs.symlinkSync(dir, path.join(dir, 'a', 'loop'));
    const s = await ingest({ store, paths: [dir] });
    expect(s.files).toHaveLength(1);
    expect(count()).toBe(1);
  });

  it('a file removed after listing (rotated away) is noted, not a failure, and the others are read', async () => {
    fs.writeFileSync(path.join(dir, 'a.jsonl'), ok() + '\n');
    fs.writeFileSync(path.join(dir, 'b.jsonl'), ok() + '\n');
    const s = await ingest({ store, paths: [dir], onFile: (f) => f.path.endsWith('a.jsonl') && fs.rmSync(path.join(dir, 'b.jsonl')) });
    expect(s.files.map((f) => f.status)).toEqual(['read', 'gone']);
    expect(s.files[1].note).toMatch(/removed before it was read/);
    expect(count()).toBe(1);
  });
});
