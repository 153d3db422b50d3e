import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandFileGlob, fileGlob } from '../../src/ingest/file-glob.js';
import { WatchTargets } from '../../src/pipeline/watch/watch-targets.js';
import { runCli, storedCount, tmpDir } from '../helpers/cli.js';

const line = (op: string) => `{"timestamp":"2026-11-20T10:00:00Z","operation":"${op}","duration":5,"success":true}\n`;

/** Files (relative paths) under a fresh directory, each holding one event named after its path. */
function tree(files: string[]): string {
  const dir = tmpDir();
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), line(f));
  }
  return dir;
}

const FILES = [
  'logs/a.jsonl', 'logs/b.log', 'logs/c.txt', 'logs/.hidden.jsonl', 'logs/1.jsonl', 'logs/22.jsonl',
  'logs/api/x.jsonl', 'logs/api/y.log', 'logs/worker/z.jsonl', 'logs/web/w.jsonl', 'logs/.cache/h.jsonl',
];

describe('file globs', () => {
  const dir = tree(FILES);
  const rel = (pattern: string) => expandFileGlob(path.join(dir, pattern)).map((p) => path.relative(dir, p));

  it('expand braces, nested braces and ranges', () => {
    expect(rel('logs/{*.jsonl,*.log}')).toEqual(['logs/1.jsonl', 'logs/22.jsonl', 'logs/a.jsonl', 'logs/b.log']);
    expect(rel('logs/*.{jsonl,log}')).toEqual(['logs/1.jsonl', 'logs/22.jsonl', 'logs/a.jsonl', 'logs/b.log']);
    expect(rel('logs/{api/{x,y},worker/z}.*')).toEqual(['logs/api/x.jsonl', 'logs/api/y.log', 'logs/worker/z.jsonl']);
    expect(rel('logs/{api,{worker,web}}/*.jsonl')).toEqual(['logs/api/x.jsonl', 'logs/web/w.jsonl', 'logs/worker/z.jsonl']);
  });

  it('treat a class as a class, not as the literal characters', () => {
    expect(rel('logs/[0-9].jsonl')).toEqual(['logs/1.jsonl']);
    expect(rel('logs/[0-9][0-9].jsonl')).toEqual(['logs/22.jsonl']);
    expect(rel('logs/[!0-9a].jsonl')).toEqual([]);
  });

  it('leave hidden files and directories to patterns that name the dot', () => {
    expect(rel('logs/*')).not.toContain('logs/.hidden.jsonl');
    expect(rel('logs/**/*.jsonl')).toEqual(['logs/1.jsonl', 'logs/22.jsonl', 'logs/a.jsonl', 'logs/api/x.jsonl', 'logs/web/w.jsonl', 'logs/worker/z.jsonl']);
    expect(rel('logs/.*.jsonl')).toEqual(['logs/.hidden.jsonl']);
    expect(rel('logs/.cache/*')).toEqual(['logs/.cache/h.jsonl']);
  });

  it('keep `*` and `?` inside one path segment; `**` crosses them', () => {
    expect(rel('logs/*.jsonl')).toEqual(['logs/1.jsonl', 'logs/22.jsonl', 'logs/a.jsonl']);
    expect(rel('logs/?.jsonl')).toEqual(['logs/1.jsonl', 'logs/a.jsonl']);
    expect(rel('**/x.jsonl')).toEqual(['logs/api/x.jsonl']);
  });

  it('read only the directories that can hold a match in a large tree', () => {
    const big = tmpDir();
    // 300 directories of 20 files beside the two the pattern names.
    for (let d = 0; d < 300; d++) {
      fs.mkdirSync(path.join(big, 'logs', `archive-${d}`, 'deep'), { recursive: true });
      for (let f = 0; f < 20; f++) fs.writeFileSync(path.join(big, 'logs', `archive-${d}`, 'deep', `${f}.jsonl`), '');
    }
    for (const day of ['2026-11-20', '2026-11-21']) {
      fs.mkdirSync(path.join(big, 'logs', day));
      fs.writeFileSync(path.join(big, 'logs', day, 'api.jsonl'), '');
    }
    const read: string[] = [];
    const counting = {
      readdirSync: ((p: fs.PathLike, o: unknown) => {
        read.push(String(p));
        return fs.readdirSync(p, o as { withFileTypes: true });
      }) as unknown as typeof fs.readdirSync,
    };
    const found = expandFileGlob(path.join(big, 'logs/2026-11-*/*.jsonl'), counting);
    expect(found.map((p) => path.relative(big, p))).toEqual(['logs/2026-11-20/api.jsonl', 'logs/2026-11-21/api.jsonl']);
    expect(read.length).toBe(3); // logs/ and the two day directories
  });

  it('tell watch which directories can hold a match, so that it watches no other', () => {
    const g = fileGlob('logs/{api,worker}/**/*.jsonl');
    expect(g.base).toBe('logs');
    expect(['api', 'api/deep/er', 'worker'].map((d) => g.mayContain(d))).toEqual([true, true, true]);
    expect(['web', 'web/api', '.cache'].map((d) => g.mayContain(d))).toEqual([false, false, false]);
    const flat = fileGlob('logs/2026-*/*.log');
    expect([flat.mayContain('2026-11'), flat.mayContain('2026-11/sub'), flat.mayContain('old')]).toEqual([true, false, false]);
  });
});

describe('oplens ingest and watch with file globs', () => {
  it('ingest reads a brace pattern (it crashed with a stack trace)', () => {
    const dir = tree(FILES);
    const db = path.join(dir, 'db');
    const r = runCli(['--db', db, 'ingest', path.join(dir, 'logs/{*.jsonl,*.log}')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(storedCount(db)).toBe(4);
  });

  it('ingest reads a class as a class', () => {
    const dir = tree(FILES);
    const db = path.join(dir, 'db');
    const r = runCli(['--db', db, 'ingest', path.join(dir, 'logs/[0-9]*.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
    expect(storedCount(db)).toBe(2);
  });

  it('watch follows what the glob matches: classes, braces, no hidden files, no directory off its path', () => {
    const dir = tree(FILES);
    const t = new WatchTargets([path.join(dir, 'logs/{api,[0-9]*}/*.jsonl'), path.join(dir, 'logs/*.jsonl')]);
    const at = (p: string) => path.join(dir, p);
    expect(t.accepts(at('logs/api/x.jsonl'))).toBe(true);
    expect(t.accepts(at('logs/2026/x.jsonl'))).toBe(true);
    expect(t.accepts(at('logs/a.jsonl'))).toBe(true);
    expect(t.accepts(at('logs/.hidden.jsonl'))).toBe(false);
    expect(t.accepts(at('logs/web/w.jsonl'))).toBe(false);
    const dirStats = fs.statSync(at('logs/web'));
    expect(t.ignores(at('logs/web'), dirStats)).toBe(true);
    expect(t.ignores(at('logs/api'), dirStats)).toBe(false);
  });
});
