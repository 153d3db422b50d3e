import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';

const WINDOW = ['--since', '2026-12-01', '--until', '2026-12-02', '--now', '2026-12-02T00:00:00Z'];
const BASE = 'oplens-2026-12-01T0000Z-2026-12-02T0000Z';

function store(dir: string): string {
  const db = path.join(dir, 'db');
  const log = path.join(dir, 'app.jsonl');
  fs.writeFileSync(log, Array.from({ length: 50 }, (_, i) => JSON.stringify({ timestamp: Date.UTC(2026, 11, 1) + i * 60_000, operation: 'op', duration: 5, success: true })).join('\n') + '\n');
  expect(runCli(['--db', db, 'ingest', log]).code).toBe(0);
  return db;
}

describe('output files are written the safe way', () => {
  it('a symlink planted at the predictable name of any output format is replaced, its target untouched', () => {
    const dir = tmpDir();
    const db = store(dir);
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    for (const ext of ['json', 'html', 'md']) fs.symlinkSync(victim, path.join(out, `${BASE}.${ext}`));
    const r = runCli(['--db', db, 'analyze', ...WINDOW, '--format', 'json,html,md', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    for (const ext of ['json', 'html', 'md']) {
      const st = fs.lstatSync(path.join(out, `${BASE}.${ext}`));
      expect(st.isFile() && !st.isSymbolicLink()).toBe(true);
    }
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--out naming a regular file where a directory is needed gives a clear message, not a bare EEXIST', () => {
    const dir = tmpDir();
    const db = store(dir);
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'x');
    for (const [format, out] of [['json', file], ['html', path.join(file, 'reports')]]) {
      const r = runCli(['--db', db, 'analyze', ...WINDOW, '--format', format, '--out', out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${file} is a file, not a directory`);
      expect(r.stderr).toMatch(/hint: pass a directory to --out/);
    }
  });
});
