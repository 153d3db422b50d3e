import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { query, tmpDir } from '../helpers/cli.js';
import { allCommitted, LogWriter, mismatches, opCounts, sleep, WatchProcess } from './watch-harness.js';

afterEach(() => WatchProcess.killAll());

describe('oplens watch following a directory while it is written', () => {
  it('stores every line exactly once through appends, a split line, rename and copytruncate rotations, new and re-created files', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const w = new LogWriter(path.join(dir, 'logs'));
    w.append('a.jsonl', 40); // written before watch starts: the catch-up
    fs.writeFileSync(w.file('notes.txt'), 'not a log file\n');

    const watch = await WatchProcess.start(db, [w.dir]);
    await allCommitted(db, w.ids);

    for (let i = 0; i < 10; i++) {
      w.append('a.jsonl', 5);
      await sleep(15);
    }

    // A line written in two halves: the first half must wait for its newline, not be read as a line.
    const half = w.appendHalf('a.jsonl');
    await sleep(700);
    expect(opCounts(db).has(half.id)).toBe(false);
    half.finish();

    w.append('b.jsonl', 20);
    await allCommitted(db, w.ids);

    // Rename rotation: lines appended just before the rename are read from the renamed file.
    w.append('a.jsonl', 15);
    fs.renameSync(w.file('a.jsonl'), w.file('a.jsonl.1'));
    w.append('a.jsonl', 15);

    // copytruncate: lines appended just before the copy are read from the copy.
    w.append('b.jsonl', 15);
    fs.copyFileSync(w.file('b.jsonl'), w.file('b.jsonl.1'));
    fs.truncateSync(w.file('b.jsonl'), 0);
    w.append('b.jsonl', 10);

    w.append('c.jsonl', 25); // a brand-new file
    await allCommitted(db, w.ids);

    // Deleted and created again.
    fs.unlinkSync(w.file('c.jsonl'));
    await sleep(300);
    w.append('c.jsonl', 7);
    await allCommitted(db, w.ids);

    const exit = await watch.stop('SIGTERM');
    expect(exit, watch.stderr).toEqual({ code: 0, signal: null });
    expect(watch.stderr).toMatch(/stopped: /);
    expect(mismatches(db, w.ids)).toEqual({ wrong: [], missing: [] });
    const total = query<{ n: number }>(db, 'SELECT sum(count) AS n FROM minute_stats')[0].n;
    expect(total).toBe(w.ids.length);
    expect(query(db, 'SELECT count(*) AS n FROM quarantine')[0]).toEqual({ n: 0 });
  });

  it('follows a glob and a single file, not the files beside them, and reads the tails their rotations moved away', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const w = new LogWriter(path.join(dir, 'logs'));
    fs.mkdirSync(w.file('svc'));
    w.append('svc/api.jsonl', 3);
    w.append('one.log', 3);
    const watch = await WatchProcess.start(db, [path.join(w.dir, 'svc/*.jsonl'), w.file('one.log')]);
    w.append('svc/api.jsonl', 4);
    w.append('svc/worker.jsonl', 4);
    w.append('one.log', 4);
    await allCommitted(db, w.ids);
    // Rotations whose old file is not followed (not the single file, not matched by the glob): its tail is read
    // all the same, after a rename from the file that took its place, after a copytruncate from the copy.
    w.append('one.log', 5);
    fs.renameSync(w.file('one.log'), w.file('one.log.1'));
    w.append('one.log', 2);
    w.append('svc/api.jsonl', 6);
    fs.copyFileSync(w.file('svc/api.jsonl'), w.file('svc/api.jsonl.1'));
    fs.truncateSync(w.file('svc/api.jsonl'), 0);
    w.append('svc/api.jsonl', 2);
    // Unmatched: another extension under the glob, and a log file beside the single file.
    const stray = '{"timestamp":1795000000000,"operation":"stray","duration":1,"success":true}\n';
    for (const name of ['svc/api.log', 'two.log']) fs.writeFileSync(w.file(name), stray);
    await allCommitted(db, w.ids);
    await sleep(500);
    expect((await watch.stop()).code).toBe(0);
    expect(mismatches(db, w.ids)).toEqual({ wrong: [], missing: [] });
  });

  it('refuses a path that does not exist with a one-line error', async () => {
    const dir = tmpDir();
    const watch = new WatchProcess(['--db', path.join(dir, 'db'), 'watch', path.join(dir, 'nope')]);
    const exit = await watch.exited;
    expect(exit.code).toBe(1);
    expect(watch.stderr).toMatch(/^oplens: no such file or directory: .*nope\n/);
    expect(watch.stderr).not.toMatch(/\n\s+at /);
  });
});
