import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeLog } from '../../fixtures/generate-log.mjs';
import { query, runCli, storedCount, tmpDir } from '../helpers/cli.js';
import { allCommitted, LogWriter, mismatches, sleep, WatchProcess } from './watch-harness.js';

afterEach(() => WatchProcess.killAll());

const KILLS = 20;

describe('stopping oplens watch', () => {
  // Twenty restarts, each waiting for "watching": on a loaded machine that alone outlasts the default 60 s timeout.
  it('loses and repeats nothing when SIGKILLed 20 times while a writer keeps appending and rotating, then restarted', { timeout: 300_000 }, async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const w = new LogWriter(path.join(dir, 'logs'));
    w.append('app.jsonl', 20);
    let watch = await WatchProcess.start(db, [w.dir]);

    // The writer: 8 lines every 10 ms into two files; app.jsonl is rotated by rename when asked.
    let writing = true;
    let rotateNow = false;
    let rotations = 0;
    const writer = (async () => {
      while (writing) {
        w.append('app.jsonl', 8);
        w.append('other.jsonl', 8);
        if (rotateNow) {
          fs.renameSync(w.file('app.jsonl'), w.file(`app.jsonl.${++rotations}`));
          w.append('app.jsonl', 3);
          rotateNow = false;
        }
        await sleep(10);
      }
    })();
    const rotate = async () => {
      rotateNow = true;
      while (rotateNow) await sleep(5);
    };

    // Killed 20 times at different moments of its work (mid-read, mid-commit, idle; delays from a fixed seed),
    // with a rotation while it runs and one while it is down, and restarted each time.
    let seed = 11;
    const delays = Array.from({ length: KILLS }, () => 100 + ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 500);
    for (const delay of delays) {
      await sleep(delay / 2);
      await rotate();
      await sleep(delay / 2);
      await watch.stop('SIGKILL');
      await rotate();
      await sleep(150); // lines written while it is down are the next catch-up
      watch = await WatchProcess.start(db, [w.dir]);
    }
    await sleep(300);
    writing = false;
    await writer;
    await allCommitted(db, w.ids);
    expect((await watch.stop('SIGTERM')).code).toBe(0);

    expect(rotations).toBe(2 * KILLS);
    expect(mismatches(db, w.ids)).toEqual({ wrong: [], missing: [] });
    expect(storedCount(db)).toBe(w.ids.length);
    expect(query(db, 'PRAGMA integrity_check')[0]).toEqual({ integrity_check: 'ok' });
  });

  it('commits what it has read on SIGTERM in the middle of a catch-up and exits 0; a later run reads the rest once', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    fs.mkdirSync(path.join(dir, 'logs'));
    const log = path.join(dir, 'logs', 'big.jsonl');
    await writeLog(log, { seed: 5, count: 150_000 });
    const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length;

    const watch = new WatchProcess(['--db', db, 'watch', path.join(dir, 'logs')]);
    await watch.waitForStderr(/watching/);
    await sleep(150);
    const exit = await watch.stop('SIGTERM');
    expect(exit, watch.stderr).toEqual({ code: 0, signal: null });
    expect(watch.stderr).toMatch(/stopped: /);
    const before = fs.existsSync(db) ? storedCount(db) : 0;
    expect(before).toBeLessThanOrEqual(lines);

    const r = runCli(['--db', db, 'ingest', log]);
    expect(r.code, r.stderr).toBe(0);
    expect(storedCount(db)).toBe(lines);
  });

  it('exits at once, with 130 or 143, on a second signal during a long stop', async () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'logs'));
    await writeLog(path.join(dir, 'logs', 'big.jsonl'), { seed: 6, count: 150_000 });
    const watch = new WatchProcess(['--db', path.join(dir, 'db'), 'watch', path.join(dir, 'logs')]);
    await watch.waitForStderr(/watching/);
    // Two different signals, since a second SIGTERM sent at once would merge with the first, still pending; the
    // kernel may deliver them in either order, so the code is that of whichever came second.
    watch.child.kill('SIGTERM');
    const exit = await watch.stop('SIGINT');
    expect(exit.signal).toBe(null);
    expect([130, 143]).toContain(exit.code);
    expect(runCli(['--db', path.join(dir, 'db'), 'status']).code).toBe(0);
  });
});
