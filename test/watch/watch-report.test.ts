import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';
import { allCommitted, LogWriter, waitUntil, WatchProcess } from './watch-harness.js';

afterEach(() => WatchProcess.killAll());

describe('oplens watch --report-every', () => {
  it('keeps one report file current, replaced whole each time', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    // Stamped a minute ago: the live report's window ends at the real now.
    const w = new LogWriter(path.join(dir, 'logs'), Date.now() - 60_000);
    w.append('app.jsonl', 50);
    const out = path.join(dir, 'reports', 'live.html');
    const watch = await WatchProcess.start(db, [w.dir], ['--report-every', '1s', '--report-window', '1d', '--format', 'html', '--out', out]);

    await waitUntil('the first report', () => fs.existsSync(out));
    const first = fs.readFileSync(out, 'utf8');
    expect(first).toMatch(/^<!doctype html>/i);
    expect(first.trimEnd()).toMatch(/<\/html>$/);

    w.append('app.jsonl', 70);
    await allCommitted(db, w.ids);
    await waitUntil('a newer report', () => fs.readFileSync(out, 'utf8') !== first);
    expect(fs.readFileSync(out, 'utf8').trimEnd()).toMatch(/<\/html>$/);

    expect((await watch.stop()).code).toBe(0);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['live.html']); // no temporary file left behind
    expect(watch.stderr).not.toMatch(/not written/);
  });

  it('refuses report flags that cannot make one live file', () => {
    const dir = tmpDir();
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    const run = (...args: string[]) => runCli(['--db', path.join(dir, 'db'), 'watch', logs, ...args]);
    for (const [args, message] of [
      [['--format', 'html'], /--format html is for the live report/],
      [['--report-every', '1h', '--out', path.join(dir, 'live.txt')], /expected a file ending in \.html or \.md/],
      [['--report-every', '1h', '--format', 'md', '--out', path.join(dir, 'live.html')], /--format md does not match/],
      [['--report-every', 'hourly'], /--report-every: expected an interval/],
      [['--interval', '5000'], /--interval: expected whole milliseconds/],
    ] as const) {
      const r = run(...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
