import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { OplensError } from '../../src/errors.js';
import { writeReports } from '../../src/report/write-reports.js';
import { kpis, sampleDocument } from './sample-document.js';

let dir: string;
let cwd: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oplens-write-'));
  cwd = process.cwd();
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  fs.rmSync(dir, { recursive: true, force: true });
});

const error = (f: () => unknown): OplensError => {
  try {
    f();
  } catch (e) {
    return e as OplensError;
  }
  throw new Error('expected an error');
};

describe('writeReports', () => {
  test('writes each format into reports/ by default and returns absolute paths', () => {
    const paths = writeReports(sampleDocument(), { formats: ['html', 'md'], baseName: 'oplens-2026-W46' });
    expect(paths).toEqual([path.resolve('reports/oplens-2026-W46.html'), path.resolve('reports/oplens-2026-W46.md')]);
    expect(path.isAbsolute(paths[0])).toBe(true);
    expect(fs.readFileSync(paths[0], 'utf8')).toMatch(/^<!doctype html>/);
    expect(fs.readFileSync(paths[1], 'utf8')).toMatch(/^# oplens report/);
    // No temp file is left behind.
    expect(fs.readdirSync(path.join(dir, 'reports')).sort()).toEqual(['oplens-2026-W46.html', 'oplens-2026-W46.md']);
  });

  test('an output directory that does not exist yet is created', () => {
    const [p] = writeReports(sampleDocument(), { formats: ['md'], out: 'a/b/c', baseName: 'x' });
    expect(p).toBe(path.resolve('a/b/c/x.md'));
    expect(fs.existsSync(p)).toBe(true);
  });

  test('a file path picks the format from its extension and ignores the base name', () => {
    expect(writeReports(sampleDocument(), { formats: ['md'], out: 'ticket.md', baseName: 'x' })).toEqual([path.resolve('ticket.md')]);
    expect(writeReports(sampleDocument(), { formats: [], out: 'page.HTML', baseName: 'x' })).toEqual([path.resolve('page.HTML')]);
    expect(fs.readFileSync('page.HTML', 'utf8')).toMatch(/^<!doctype html>/);
  });

  test('a file path that cannot hold the asked formats is a usage error', () => {
    const e = error(() => writeReports(sampleDocument(), { formats: ['html', 'md'], out: 'ticket.md', baseName: 'x' }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('--out ticket.md is one md file but html was asked for too');
    expect(error(() => writeReports(sampleDocument(), { formats: ['md'], out: 'r.txt', baseName: 'x' })).message).toMatch(/expected a directory or a file ending in .html or .md/);
    expect(fs.existsSync('ticket.md')).toBe(false);
  });

  test('a base name cannot leave the output directory', () => {
    for (const bad of ['../escape', 'a/b', '..', '.hidden', 'x\0y', '/etc/passwd', 'a\\b']) {
      const e = error(() => writeReports(sampleDocument(), { formats: ['md'], out: 'reports', baseName: bad }));
      expect(e.exitCode, bad).toBe(2);
      expect(e.message).toContain('is not a plain file name');
    }
    expect(fs.existsSync('escape.md')).toBe(false);
    expect(fs.existsSync('reports')).toBe(false);
  });

  test('an existing file is replaced whole', () => {
    fs.mkdirSync('reports');
    fs.writeFileSync('reports/x.md', 'old content that is much longer than nothing '.repeat(1000));
    writeReports(sampleDocument(), { formats: ['md'], baseName: 'x' });
    const text = fs.readFileSync('reports/x.md', 'utf8');
    expect(text).not.toContain('old content');
    expect(text).toMatch(/^# oplens report/);
  });

  test('a window with no events is an error and writes nothing', () => {
    const empty = sampleDocument({ overall: kpis({ count: 0 }) });
    const e = error(() => writeReports(empty, { formats: ['html', 'md'], baseName: 'x' }));
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe('no events in 2026-11-09 00:00Z – 2026-11-16 00:00Z (7 d): refusing to write an empty report');
    expect(fs.existsSync('reports')).toBe(false);
  });

  test('an unwritable directory is one clear error', () => {
    fs.writeFileSync('blocker', '');
    const e = error(() => writeReports(sampleDocument(), { formats: ['md'], out: 'blocker/sub', baseName: 'x' }));
    expect(e).toBeInstanceOf(OplensError);
    expect(e.message).toMatch(/^cannot write report .*blocker\/sub\/x\.md: .*blocker is a file, not a directory$/);
  });
});
