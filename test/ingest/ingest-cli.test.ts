import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { query, runCli, storedCount, tmpDir } from '../helpers/cli.js';

const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);

/** Native lines with a known op, duration and outcome, so every sum can be checked independently. */
function lines(n: number, from = 0, op = (i: number) => (i % 3 === 0 ? 'a' : 'b')): string {
  let s = '';
  for (let i = from; i < from + n; i++) {
    const ok = i % 10 !== 0;
    s += JSON.stringify({
      timestamp: new Date(T0 + i * 1000).toISOString(), operation: op(i), duration: i % 97, success: ok,
      ...(ok ? {} : { error: { message: `upstream timed out after ${i} ms` } }), sessionId: `id-${i}`,
    }) + '\n';
  }
  return s;
}

function expected(n: number, from = 0) {
  let count = 0;
  let errors = 0;
  let sum = 0;
  for (let i = from; i < from + n; i++) {
    count++;
    if (i % 10 === 0) errors++;
    sum += i % 97;
  }
  return { count, errors, sum };
}

function totals(db: string) {
  return query<{ count: number; errors: number; sum: number; timeouts: number }>(
    db,
    'SELECT sum(count) AS count, sum(error_count) AS errors, sum(dur_sum) AS sum, sum(timeout_count) AS timeouts FROM minute_stats',
  )[0];
}

let dir: string;
let db: string;
beforeEach(() => {
  dir = tmpDir();
  db = path.join(dir, 'oplens.db');
});

describe('oplens ingest', () => {
  it('counts and sums match an independent computation, and raw events are kept', () => {
    fs.writeFileSync(path.join(dir, 'app.jsonl'), lines(500));
    const r = runCli(['--db', db, 'ingest', path.join(dir, 'app.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/ingested 500 events from 1 file/);
    const e = expected(500);
    const t = totals(db);
    expect(t.count).toBe(e.count);
    expect(t.errors).toBe(e.errors);
    expect(t.timeouts).toBe(e.errors);
    expect(t.sum).toBe(e.sum);
    expect(query<{ n: number }>(db, 'SELECT sum(n) AS n FROM event_chunks')[0].n).toBe(500);
    const perOp = query<{ name: string; n: number }>(db, 'SELECT o.name, sum(count) AS n FROM minute_stats m JOIN ops o ON o.id = m.op_id GROUP BY o.name ORDER BY o.name');
    expect(perOp).toEqual([{ name: 'a', n: 167 }, { name: 'b', n: 333 }]);
    const hist = query<{ n: number }>(db, 'SELECT sum(n) AS n FROM hour_hist')[0].n;
    expect(hist).toBe(500);
    const groups = query<{ n: number; g: number }>(db, 'SELECT sum(count) AS n, count(DISTINCT fingerprint) AS g FROM error_groups')[0];
    expect(groups).toEqual({ n: e.errors, g: 1 });
  });

  it('ingesting the same file twice adds nothing', () => {
    fs.writeFileSync(path.join(dir, 'app.jsonl'), lines(300));
    runCli(['--db', db, 'ingest', dir]);
    const r = runCli(['--db', db, 'ingest', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 unchanged/);
    expect(storedCount(db)).toBe(300);
  });

  it('appended lines are added, and only those', () => {
    const f = path.join(dir, 'app.jsonl');
    fs.writeFileSync(f, lines(200));
    runCli(['--db', db, 'ingest', f]);
    fs.appendFileSync(f, lines(50, 200));
    runCli(['--db', db, 'ingest', f]);
    const e = expected(250);
    expect(totals(db)).toMatchObject({ count: e.count, errors: e.errors, sum: e.sum });
  });

  it('does not consume a half-written last line until its newline arrives', () => {
    const f = path.join(dir, 'app.jsonl');
    const full = lines(11);
    const cut = full.lastIndexOf('\n', full.length - 2) + 20;
    fs.writeFileSync(f, full.slice(0, cut));
    runCli(['--db', db, 'ingest', f]);
    expect(storedCount(db)).toBe(10);
    expect(query(db, 'SELECT * FROM quarantine')).toHaveLength(0);
    fs.appendFileSync(f, full.slice(cut));
    runCli(['--db', db, 'ingest', f]);
    expect(storedCount(db)).toBe(11);
    expect(query(db, 'SELECT * FROM quarantine')).toHaveLength(0);
  });

  it('reads the tail of a file rotated by rename, then the new file at the old path', () => {
    const f = path.join(dir, 'app.log');
    fs.writeFileSync(f, lines(100));
    runCli(['--db', db, 'ingest', f]);
    fs.appendFileSync(f, lines(20, 100)); // written after the last ingest, before rotation
    fs.renameSync(f, f + '.1');
    fs.writeFileSync(f, lines(30, 120));
    const r = runCli(['--db', db, 'ingest', f]);
    expect(r.code, r.stderr).toBe(0);
    const e = expected(150);
    expect(totals(db)).toMatchObject({ count: e.count, sum: e.sum });
    // Ingesting the whole directory later must not read the rotated file again.
    runCli(['--db', db, 'ingest', f + '.1', f]);
    expect(storedCount(db)).toBe(150);
  });

  it('handles copytruncate: the copy is recognised, the truncated file is read from its start', () => {
    const f = path.join(dir, 'app.log');
    fs.writeFileSync(f, lines(100));
    runCli(['--db', db, 'ingest', dir]);
    fs.appendFileSync(f, lines(10, 100));
    fs.copyFileSync(f, path.join(dir, 'app-old.log'));
    fs.truncateSync(f, 0);
    fs.appendFileSync(f, lines(40, 110));
    const r = runCli(['--db', db, 'ingest', dir]);
    expect(r.code, r.stderr).toBe(0);
    const e = expected(150);
    expect(totals(db)).toMatchObject({ count: e.count, sum: e.sum });
  });

  it('reads gzip files, and a rotated .gz copy of a file already read adds nothing', () => {
    const plain = lines(120);
    fs.writeFileSync(path.join(dir, 'app.jsonl.gz'), zlib.gzipSync(plain));
    const r = runCli(['--db', db, 'ingest', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(storedCount(db)).toBe(120);
    fs.writeFileSync(path.join(dir, 'app.jsonl.1.gz'), zlib.gzipSync(plain));
    runCli(['--db', db, 'ingest', dir]);
    expect(storedCount(db)).toBe(120);
  });

  it('reads standard input with -', () => {
    const r = runCli(['--db', db, 'ingest', '-', '--source', 'piped'], { input: lines(42) });
    expect(r.code, r.stderr).toBe(0);
    expect(query(db, 'SELECT s.name, sum(count) AS n FROM minute_stats m JOIN sources s ON s.id = m.source_id GROUP BY s.name')).toEqual([{ name: 'piped', n: 42 }]);
  });

  it('quarantines each kind of bad line with file, line, offset and reason, and goes on', () => {
    const good = lines(3);
    const bad = [
      'this is not json',
      '[1,2,3]',
      '{"operation":"x","duration":5}',
      '{"timestamp":"2026-11-20T10:00:00Z","operation":"x","duration":-4}',
      '{"timestamp":"2026-11-20T10:00:00Z","operation":"x","duration":"fast"}',
      '{"timestamp":"2026-11-20T10:00:00Z","operation":"x","duration":1e300}',
      '{"timestamp":"2026-11-20T10:00:00Z","operation":"' + 'y'.repeat(3000) + '","duration":1}',
    ];
    const content = good + bad.join('\n') + '\n' + lines(2, 3);
    const f = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(f, content);
    fs.writeFileSync(path.join(dir, 'oplens.config.json'), JSON.stringify({ ingest: { maxLineBytes: 2048 } }));
    const r = runCli(['--db', db, '--config', path.join(dir, 'oplens.config.json'), 'ingest', f]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/7 quarantined/);
    expect(storedCount(db)).toBe(5);
    const q = query<{ file: string; line: number; byte_offset: number; reason: string; snippet: string }>(db, 'SELECT file, line, byte_offset, reason, snippet FROM quarantine ORDER BY line');
    expect(q.map((x) => [x.line, x.reason])).toEqual([
      [4, 'not JSON'],
      // An array is read element by element (a batch on one line); this one holds no objects.
      [5, 'an array whose elements are not all objects'],
      [6, 'no timestamp'],
      [7, 'duration is negative'],
      [8, 'duration is not a number'],
      [9, 'duration is out of range (over a year)'],
      [10, 'line longer than 2048 bytes'],
    ]);
    for (const x of q) {
      expect(x.file).toBe(f);
      expect(content.slice(x.byte_offset).startsWith(x.snippet.slice(0, 20))).toBe(true);
      expect(x.snippet.length).toBeLessThanOrEqual(300);
    }
  });

  it('accepts globs, and reads a text prefix before the JSON object', () => {
    fs.mkdirSync(path.join(dir, 'logs'));
    fs.writeFileSync(path.join(dir, 'logs', 'a.jsonl'), lines(5));
    fs.writeFileSync(path.join(dir, 'logs', 'b.log'), '2026-11-20 10:00:00 - ERROR - {"timestamp":"2026-11-20T10:00:00Z","operation":"p","duration":3,"success":false}\n');
    fs.writeFileSync(path.join(dir, 'logs', 'c.txt'), lines(5));
    const r = runCli(['--db', db, 'ingest', path.join(dir, 'logs', '*.{jsonl,log}')]);
    expect(r.code, r.stderr).toBe(0);
    expect(storedCount(db)).toBe(6);
  });
});

describe('oplens ingest errors', () => {
  it.each([
    [['ingest', '/nonexistent/logs'], /no such file or directory: \/nonexistent\/logs/],
    [['ingest', 'nomatch-*.jsonl'], /no files match nomatch-\*\.jsonl/],
  ])('%j gives one clear line', (args, msg) => {
    const r = runCli(['--db', db, ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('a directory with no logs', () => {
    fs.mkdirSync(path.join(dir, 'empty'));
    const r = runCli(['--db', db, 'ingest', path.join(dir, 'empty')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no log files in directory/);
  });

  it('an unreadable file', () => {
    const f = path.join(dir, 'secret.jsonl');
    fs.writeFileSync(f, lines(3));
    fs.chmodSync(f, 0o000);
    const canRead = (() => {
      try {
        fs.readFileSync(f);
        return true;
      } catch {
        return false;
      }
    })();
    const r = runCli(['--db', db, 'ingest', f]);
    if (canRead) {
      // Running as root: permissions do not stop reads, the file is simply ingested.
      expect(r.code).toBe(0);
    } else {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/secret\.jsonl/);
    }
  });

  it('a corrupt database file', () => {
    fs.writeFileSync(db, 'this is not a database'.repeat(100));
    fs.writeFileSync(path.join(dir, 'a.jsonl'), lines(3));
    const r = runCli(['--db', db, 'ingest', path.join(dir, 'a.jsonl')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/corrupt or not an oplens database/);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  });

  it('an unknown option suggests the right one', () => {
    const r = runCli(['--db', db, 'ingest', '--sorce', 'x', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--source/);
  });
});
