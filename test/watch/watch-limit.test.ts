import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, tmpDir } from '../helpers/cli.js';
import { allCommitted, LogWriter, mismatches, waitUntil, WatchProcess } from './watch-harness.js';

afterEach(() => WatchProcess.killAll());

/**
 * A real inotify limit, lowered for one process only: in a user namespace of its own a process may set the
 * namespace's `max_inotify_watches` (Linux 5.11+), and its watches count against that limit. Nothing outside the
 * namespace is affected.
 */
const LIMIT_SCRIPT = 'echo "$OPLENS_TEST_WATCHES" > /proc/sys/user/max_inotify_watches && exec "$0" "$@"';
const canLowerLimit = spawnSync('unshare', ['-U', '-r', 'sh', '-c', 'echo 1 > /proc/sys/user/max_inotify_watches']).status === 0;

function withWatchLimit(watches: number) {
  return (args: string[]) =>
    spawn('unshare', ['-U', '-r', 'sh', '-c', LIMIT_SCRIPT, process.execPath, BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', OPLENS_TEST_WATCHES: String(watches) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
}

describe.skipIf(!canLowerLimit)('oplens watch beyond the inotify watch limit (needs unprivileged user namespaces)', () => {
  it('says so once with the fix, polls what it cannot watch and still finds new files and directories', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const w = new LogWriter(path.join(dir, 'logs'));
    for (const name of ['a.jsonl', 'b.jsonl', 'c.log']) w.append(name, 3);
    fs.mkdirSync(w.file('sub'));
    // One watch: the top directory gets it, its files and the subdirectory do not.
    const watch = await WatchProcess.start(db, [w.dir], [], withWatchLimit(1));
    await watch.waitForStderr(/max_user_watches/);

    w.append('b.jsonl', 4); // a file without a watch
    w.append('sub/new.jsonl', 5); // a new file in a directory without a watch
    w.append('d.jsonl', 2); // a new file beside them
    fs.mkdirSync(w.file('late'));
    w.append('late/x.ndjson', 3); // a new directory, created once the limit is reached
    await allCommitted(db, w.ids);
    w.append('late/x.ndjson', 2);
    w.append('sub/new.jsonl', 1);
    await allCommitted(db, w.ids);

    const exit = await watch.stop('SIGTERM');
    expect(exit, watch.stderr).toEqual({ code: 0, signal: null });
    expect(mismatches(db, w.ids)).toEqual({ wrong: [], missing: [] });
    expect(watch.stderr).not.toMatch(/ENOSPC/);
    const said = watch.stderr.split('\n').filter((l) => /inotify/.test(l));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/polled once a second/);
    expect(said[0]).toMatch(/sudo sysctl fs\.inotify\.max_user_watches=\d+/);
  });

  it('with no watch at all, follows appends and new files by polling alone', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const w = new LogWriter(path.join(dir, 'logs'));
    w.append('a.jsonl', 3);
    const watch = await WatchProcess.start(db, [w.dir], [], withWatchLimit(0));
    await waitUntil('the polling notice', () => /max_user_watches/.test(watch.stderr));
    w.append('a.jsonl', 3);
    w.append('b.jsonl', 3);
    await allCommitted(db, w.ids);
    expect(await watch.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(mismatches(db, w.ids)).toEqual({ wrong: [], missing: [] });
    expect(watch.stderr.split('\n').filter((l) => /inotify/.test(l))).toHaveLength(1);
  });
});
