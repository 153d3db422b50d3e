import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { BEHIND_MIN_BYTES, BEHIND_WINDOW, LagMonitor } from '../../src/pipeline/watch/lag-monitor.js';
import { WatchTargets } from '../../src/pipeline/watch/watch-targets.js';
import { tmpDir } from '../helpers/cli.js';

function tree(): string {
  const dir = tmpDir();
  fs.mkdirSync(path.join(dir, 'logs/svc'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'logs/app.jsonl'), '');
  return dir;
}

describe('what watch follows', () => {
  it('in a directory: the log files ingest reads and their numbered or dated rotations, at any depth', () => {
    const dir = tree();
    const t = new WatchTargets([path.join(dir, 'logs')]);
    const yes = ['app.jsonl', 'svc/api.log', 'app.jsonl.1', 'app.jsonl.2.gz', 'api.log-20261120', 'x.ndjson.gz', 'y.json'];
    const no = ['notes.txt', 'app.jsonl.bak', 'app.jsonl.1.swp', 'core.1', 'app.jsonl.tmp'];
    for (const f of yes) expect(t.accepts(path.join(dir, 'logs', f)), f).toBe(true);
    for (const f of no) expect(t.accepts(path.join(dir, 'logs', f)), f).toBe(false);
    expect(t.accepts(path.join(dir, 'other.jsonl'))).toBe(false);
    expect(t.roots()).toEqual([path.join(dir, 'logs')]);
  });

  it('for a glob: the files it matches under its fixed directory, nothing else', () => {
    const dir = tree();
    const t = new WatchTargets([path.join(dir, 'logs/**/*.jsonl')]);
    expect(t.accepts(path.join(dir, 'logs/app.jsonl'))).toBe(true);
    expect(t.accepts(path.join(dir, 'logs/svc/deep/api.jsonl'))).toBe(true);
    expect(t.accepts(path.join(dir, 'logs/app.jsonl.1'))).toBe(false);
    expect(t.accepts(path.join(dir, 'logs/api.log'))).toBe(false);
    expect(t.roots()).toEqual([path.join(dir, 'logs')]);
  });

  it('for one file: that file, through its directory, whose other entries chokidar is told to skip', () => {
    const dir = tree();
    const file = path.join(dir, 'logs/app.jsonl');
    const t = new WatchTargets([file]);
    expect(t.roots()).toEqual([path.join(dir, 'logs')]);
    expect(t.accepts(file)).toBe(true);
    expect(t.accepts(path.join(dir, 'logs/app.jsonl.1'))).toBe(false);
    expect(t.ignores(path.join(dir, 'logs'))).toBe(false);
    expect(t.ignores(file)).toBe(false);
    expect(t.ignores(path.join(dir, 'logs/svc'), fs.statSync(path.join(dir, 'logs/svc')))).toBe(true);
    expect(t.ignores(path.join(dir, 'logs/other.jsonl'))).toBe(true);
  });

  it('refuses a missing path, and a glob whose directory is missing', () => {
    const dir = tmpDir();
    expect(() => new WatchTargets([path.join(dir, 'missing')])).toThrow(InputError);
    expect(() => new WatchTargets([path.join(dir, 'missing/*.jsonl')])).toThrow(/no such directory/);
  });
});

describe('falling behind', () => {
  const feed = (m: LagMonitor, lags: number[]) => lags.map((l) => m.update(l));

  it('is said once when a large lag keeps growing, and its end once', () => {
    const m = new LagMonitor();
    const big = BEHIND_MIN_BYTES * 2;
    const growing = Array.from({ length: BEHIND_WINDOW + 3 }, (_, i) => big + i * 1e6);
    const said = feed(m, [...growing, big * 3, BEHIND_MIN_BYTES / 2, 0]);
    expect(said.filter((x) => x === 'behind')).toHaveLength(1);
    expect(said.indexOf('behind')).toBe(BEHIND_WINDOW);
    expect(said.filter((x) => x === 'recovered')).toHaveLength(1);
    expect(said[said.length - 2]).toBe('recovered');
  });

  it('is not said for a large backlog that shrinks (a catch-up), a burst read within seconds, or a small lag', () => {
    const burst = [0, 0, 0, 0, 0, 0, BEHIND_MIN_BYTES * 6, BEHIND_MIN_BYTES * 3, 0, 0];
    expect(feed(new LagMonitor(), burst).every((x) => x === null)).toBe(true);
    const shrinking = Array.from({ length: 20 }, (_, i) => BEHIND_MIN_BYTES * 10 - i * BEHIND_MIN_BYTES / 4);
    expect(feed(new LagMonitor(), shrinking).every((x) => x === null)).toBe(true);
    const small = Array.from({ length: 20 }, (_, i) => i * 1000);
    expect(feed(new LagMonitor(), small).every((x) => x === null)).toBe(true);
  });
});
