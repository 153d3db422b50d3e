import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';
import { DEMO_DIR, rawDemoEvents } from './demo-week.js';

let dir: string;
let db: string;
const NOW = '2026-11-17T08:00:00Z';
const utc = (s: string) => Date.parse(s);

beforeAll(() => {
  dir = tmpDir('oplens-cli-report-');
  db = path.join(dir, 'demo.db');
  const r = runCli(['ingest', DEMO_DIR, '--db', db, '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A fresh working directory per run, so the default reports/ of one test cannot satisfy another. */
function workDir(): string {
  return fs.mkdtempSync(path.join(dir, 'cwd-'));
}

describe('oplens report weekly', () => {
  test('writes the last full ISO week before --now, silently, as reports/oplens-YYYY-Www.{html,md}', () => {
    const cwd = workDir();
    const r = runCli(['report', 'weekly', '--db', db, '--now', NOW], { cwd });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(fs.readdirSync(path.join(cwd, 'reports')).sort()).toEqual(['oplens-2026-W46.html', 'oplens-2026-W46.md']);
    const md = fs.readFileSync(path.join(cwd, 'reports/oplens-2026-W46.md'), 'utf8');
    expect(md).toMatch(/^# oplens weekly report 2026-W46\n/);
    expect(md).toContain('**Window:** 2026-11-09 00:00Z – 2026-11-16 00:00Z (7 d)');
    expect(md).toContain('**Compared with:** previous week (2026-W45): 2026-11-02 00:00Z – 2026-11-09 00:00Z (7 d)');
    const events = rawDemoEvents(utc('2026-11-09T00:00:00Z'), utc('2026-11-16T00:00:00Z')).length;
    expect(md).toContain(`| Events | ${events.toLocaleString('en-US')} |`);
    const html = fs.readFileSync(path.join(cwd, 'reports/oplens-2026-W46.html'), 'utf8');
    expect(html).toContain('<title>oplens weekly report 2026-W46</title>');
  });

  test('--verbose prints the paths; --out picks the directory', () => {
    const cwd = workDir();
    const r = runCli(['report', 'weekly', '--db', db, '--now', NOW, '--week', '2026-W46', '--out', 'out/weekly', '--verbose'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([path.join(cwd, 'out/weekly/oplens-2026-W46.html'), path.join(cwd, 'out/weekly/oplens-2026-W46.md')]);
  });

  test('a week without events fails with a hint and writes nothing', () => {
    const cwd = workDir();
    const r = runCli(['report', 'weekly', '--db', db, '--now', NOW, '--week', '2026-W44'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'oplens: no events in 2026-10-26 00:00Z – 2026-11-02 00:00Z (7 d): refusing to write an empty report\n' +
      '  hint: nothing was ingested for 2026-W44; the store holds events from 2026-11-02T00:01Z to 2026-11-15T23:36Z: oplens report weekly --week 2026-W46\n');
    expect(fs.existsSync(path.join(cwd, 'reports'))).toBe(false);
  });

  test('--template overrides a partial; a broken one fails naming the file and writes nothing', () => {
    const cwd = workDir();
    fs.mkdirSync(path.join(cwd, 'tpl/partials'), { recursive: true });
    fs.writeFileSync(path.join(cwd, 'tpl/partials/method.html.hbs'), '<section id="method"><p>Ops team method note</p></section>');
    const ok = runCli(['report', 'weekly', '--db', db, '--now', NOW, '--template', 'tpl'], { cwd });
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(fs.readFileSync(path.join(cwd, 'reports/oplens-2026-W46.html'), 'utf8')).toContain('<p>Ops team method note</p>');
    const broken = path.join(cwd, 'tpl/report.md.hbs');
    fs.writeFileSync(broken, '# {{title}\n');
    const r = runCli(['report', 'weekly', '--db', db, '--now', NOW, '--template', 'tpl', '--out', 'other'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^oplens: template ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is broken: Parse error on line 1`));
    expect(fs.existsSync(path.join(cwd, 'other'))).toBe(false);
  });

  test('a week that is not over, or not a week, is a usage error', () => {
    const cwd = workDir();
    const r = runCli(['report', 'weekly', '--db', db, '--now', NOW, '--week', '2026-W47'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('oplens: --week 2026-W47 is not over yet (it ends 2026-11-23 00:00Z)\n  hint: the last full week is 2026-W46\n');
    const bad = runCli(['report', 'weekly', '--db', db, '--now', NOW, '--week', '47'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('oplens: --week: expected an ISO week such as 2026-W47, got "47"\n');
  });
});

describe('oplens incident', () => {
  test('a 2 h window centred on --at against the 2 h before and the same window a week earlier', () => {
    const cwd = workDir();
    const r = runCli(['incident', '--db', db, '--at', '2026-11-12T14:05Z', '--window', '2h', '--now', NOW], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = ['incident-20261112T1405Z.html', 'incident-20261112T1405Z.md'];
    expect(r.stdout.trim().split('\n')).toEqual(files.map((f) => path.join(cwd, 'reports', f)));
    const md = fs.readFileSync(path.join(cwd, 'reports', files[1]), 'utf8');
    expect(md).toContain('**Window:** 2026-11-12 13:05Z – 2026-11-12 15:05Z (2 h)');
    // The line is longer than the Markdown's 100 characters, so it is wrapped.
    expect(md.replace(/\s+/g, ' ')).toContain('**Compared with:** previous 2 h: 2026-11-12 11:05Z – 2026-11-12 13:05Z (2 h); same window a week earlier: 2026-11-05 13:05Z – 2026-11-05 15:05Z (2 h)');
    const during = rawDemoEvents(utc('2026-11-12T13:05:00Z'), utc('2026-11-12T15:05:00Z')).length;
    const before = rawDemoEvents(utc('2026-11-12T11:05:00Z'), utc('2026-11-12T13:05:00Z')).length;
    expect(md).toContain(`| Events | ${during} | ${before} |`);
    // It leads with what changed.
    expect(md.indexOf('## What changed against previous 2 h')).toBeGreaterThan(0);
    expect(md.indexOf('## What changed')).toBeLessThan(md.indexOf('## Verdict'));
    const html = fs.readFileSync(path.join(cwd, 'reports', files[0]), 'utf8');
    expect(html.indexOf('<section id="changes"')).toBeGreaterThan(0);
    expect(html.indexOf('<section id="changes"')).toBeLessThan(html.indexOf('<section id="verdict"'));
  });

  test('an odd window is centred to the millisecond; the file name keeps the minute of --at', () => {
    const cwd = workDir();
    const r = runCli(['incident', '--db', db, '--at', '2026-11-12T14:05:30Z', '--window', '45m', '--now', NOW, '--format', 'md'], { cwd });
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(cwd, 'reports'))).toEqual(['incident-20261112T1405Z.md']);
    const md = fs.readFileSync(path.join(cwd, 'reports/incident-20261112T1405Z.md'), 'utf8');
    // 14:05:30 ± 22 min 30 s = [13:43:00, 14:28:00).
    expect(md).toContain('**Window:** 2026-11-12 13:43Z – 2026-11-12 14:28Z (45 min)');
    expect(md).toContain(`| Events | ${rawDemoEvents(utc('2026-11-12T13:43:00Z'), utc('2026-11-12T14:28:00Z')).length} |`);
  });

  test('--out FILE writes just that file', () => {
    const cwd = workDir();
    const r = runCli(['incident', '--db', db, '--at', '2026-11-12T14:05Z', '--now', NOW, '--format', 'md', '--out', 'ticket.md'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${path.join(cwd, 'ticket.md')}\n`);
    expect(fs.readdirSync(cwd)).toEqual(['ticket.md']);
  });

  test('bad times and empty windows are one-line errors', () => {
    const cwd = workDir();
    const after = runCli(['incident', '--db', db, '--at', '2026-11-18T00:00Z', '--now', NOW], { cwd });
    expect(after.code).toBe(2);
    expect(after.stderr).toMatch(/^oplens: --at 2026-11-18 00:00Z is after now \(2026-11-17 08:00Z\)\n/);
    const bad = runCli(['incident', '--db', db, '--at', 'noon', '--now', NOW], { cwd });
    expect([bad.code, bad.stderr]).toEqual([2, 'oplens: --at: expected an ISO-8601 time or an age such as 36h, 7d, 90m, got "noon"\n']);
    const empty = runCli(['incident', '--db', db, '--at', '2026-10-01T12:00Z', '--now', NOW], { cwd });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('refusing to write an empty report');
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});
