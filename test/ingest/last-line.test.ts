import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { query, runCli, storedCount, tmpDir } from '../helpers/cli.js';

const line = (i: number) => JSON.stringify({ timestamp: Date.UTC(2026, 11, 1) + i * 1000, operation: `op-${i}`, duration: 5, success: true });

describe('the last line of a file without a newline', () => {
  it('counts when the file is finished, the same as through gzip or stdin, and a later newline changes nothing', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const f = path.join(dir, 'app.jsonl');
    fs.writeFileSync(f, [1, 2, 3].map(line).join('\n'));
    const r = runCli(['--db', db, 'ingest', f]);
    expect(r.code, r.stderr).toBe(0);
    expect(storedCount(db)).toBe(3);
    fs.appendFileSync(f, '\n' + line(4) + '\n');
    expect(runCli(['--db', db, 'ingest', f]).code).toBe(0);
    expect(storedCount(db)).toBe(4);
    expect(query(db, 'SELECT * FROM quarantine')).toEqual([]);
  });

  it('more bytes on a line already counted are quarantined, never counted twice', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const f = path.join(dir, 'app.jsonl');
    fs.writeFileSync(f, line(1) + '\n' + line(2));
    runCli(['--db', db, 'ingest', f]);
    expect(storedCount(db)).toBe(2);
    fs.appendFileSync(f, ' {"more":1}\n' + line(3) + '\n');
    expect(runCli(['--db', db, 'ingest', f]).code).toBe(0);
    expect(storedCount(db)).toBe(3);
    expect(query<{ reason: string }>(db, 'SELECT reason FROM quarantine').map((q) => q.reason)).toEqual(['continues a last line that was counted before it had a newline']);
  });

  it('a partial record is held back and the summary says so', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const f = path.join(dir, 'app.jsonl');
    fs.writeFileSync(f, line(1) + '\n' + line(2).slice(0, 20));
    const r = runCli(['--db', db, 'ingest', f]);
    expect(storedCount(db)).toBe(1);
    expect(r.stderr).toMatch(/a last line without a newline held back \(20 bytes\)/);
  });
});

describe('records of a shape no format knows', () => {
  it('are an error with the way on, are not marked read, and are read once a mapping fits', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const f = path.join(dir, 'odd.jsonl');
    fs.writeFileSync(f, Array.from({ length: 5 }, (_, i) => JSON.stringify({ when: Date.UTC(2026, 11, 1) + i * 1000, what: 'x', took: 3 })).join('\n') + '\n');
    const r = runCli(['--db', db, 'ingest', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no known log format recognises its records \(keys: when, what, took\)/);
    expect(r.stderr).toMatch(/oplens detect/);
    expect(r.stderr).toMatch(/oplens init/);
    fs.writeFileSync(path.join(dir, 'oplens.config.json'), JSON.stringify({ fields: { ts: 'when', op: 'what', duration: 'took' } }));
    const again = runCli(['--db', db, 'ingest', f], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(storedCount(db)).toBe(5);
  });
});
