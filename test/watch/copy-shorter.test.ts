import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, storedCount, tmpDir } from '../helpers/cli.js';
import { LogWriter } from './watch-harness.js';

describe('a copytruncate copy shorter than what was already read', () => {
  it('adds nothing, while a file truncated in place is read again from its start', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const w = new LogWriter(dir);
    w.append('app.jsonl', 30);
    expect(runCli(['--db', db, 'ingest', w.file('app.jsonl')]).code).toBe(0);
    expect(storedCount(db)).toBe(30);

    // The copy was taken before the last 10 lines were written (and read from the original): longer than the
    // 1 KiB that identifies the stream, shorter than its checkpoint.
    const text = fs.readFileSync(w.file('app.jsonl'), 'utf8');
    const first20 = text.split('\n').slice(0, 20).join('\n') + '\n';
    expect(first20.length).toBeGreaterThan(1024);
    fs.writeFileSync(w.file('app.jsonl.1'), first20);
    const r = runCli(['--db', db, 'ingest', w.file('app.jsonl.1')]);
    expect(r.code, r.stderr).toBe(0);
    expect(storedCount(db)).toBe(30);

    // The original itself cut back to its first 20 lines: truncated in place, so read again.
    fs.truncateSync(w.file('app.jsonl'), first20.length);
    expect(runCli(['--db', db, 'ingest', w.file('app.jsonl')]).code).toBe(0);
    expect(storedCount(db)).toBe(50);
  });
});
