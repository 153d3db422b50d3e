import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tmpDir } from '../helpers/cli.js';

const WORKER = path.join(ROOT, 'fixtures/demo/worker.log');
const NOW = '2026-11-16T00:00:00Z';
const ONE = '{"timestamp":"2026-11-15T10:00:00Z","operation":"solo","duration":12,"success":true}\n';

/** One `oplens: ...` line and one hint line, nothing else. */
const ONE_LINE_AND_HINT = /^oplens: [^\n]+\n {2}hint: [^\n]+\n$/;

describe('usage errors are one oplens: line and a hint (exit 2)', () => {
  it.each([
    ['unknown option, with a suggestion', ['analyze', '--fromat', 'json'], /^oplens: unknown option '--fromat'\n {2}hint: did you mean --format\? \(oplens analyze --help/],
    ['unknown option of the program', ['--verbos', 'status'], /^oplens: unknown option '--verbos'\n {2}hint: did you mean --verbose\?/],
    ['missing argument', ['ingest'], /^oplens: missing required argument 'paths'\n {2}hint: oplens ingest --help shows the arguments/],
    ['missing option value', ['analyze', '--days'], /^oplens: option '--days <n>' argument missing\n/],
    ['a value outside the choices', ['analyze', '--fail-on', 'fatal'], /^oplens: option '--fail-on <level>' argument 'fatal' is invalid. Allowed choices are warning, critical.\n/],
    ['excess arguments', ['status', 'now'], /^oplens: too many arguments for 'status'/],
    ['unknown command, with a suggestion', ['anaylze'], /^oplens: unknown command 'anaylze'\n {2}hint: did you mean analyze\?/],
    ['unknown subcommand', ['baseline', 'sav'], /^oplens: unknown command 'sav'\n {2}hint: did you mean save\? \(oplens baseline --help/],
  ])('%s', (_what, args, message) => {
    const r = runCli(['--db', path.join(tmpDir(), 'o.db'), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE_AND_HINT);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('--days seven says what is accepted', () => {
    const r = runCli(['--db', path.join(tmpDir(), 'o.db'), 'analyze', '--days', 'seven']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE_AND_HINT);
    expect(r.stderr).toMatch(/hint: write it in digits, e\.g\. --days 7/);
  });

  it('analyze --help shows the --format default once', () => {
    const r = runCli(['analyze', '--help']);
    expect(r.stdout).not.toMatch(/default: \[\]/);
    expect(r.stdout).toMatch(/--format <list>[^\n]*\n?[^\n]*\(default: text\)/);
  });
});

describe('ingest messages', () => {
  it('a directory with no logs fails without leaving a database behind', () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'empty'));
    const db = path.join(dir, 'o.db');
    const r = runCli(['--db', db, 'ingest', path.join(dir, 'empty')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no log files in directory/);
    expect(fs.readdirSync(dir)).toEqual(['empty']);
  });

  it('counts in the singular for one', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'one.jsonl'), ONE);
    const r = runCli(['--db', path.join(dir, 'o.db'), 'ingest', path.join(dir, 'one.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^ingested 1 event from 1 file, 1 line, ${Buffer.byteLength(ONE)} B, 0 quarantined`));
  });
});

describe('--json on every command that prints data', () => {
  const dir = tmpDir();
  const db = path.join(dir, 'o.db');
  const json = (args: string[]) => {
    const r = runCli(['--db', db, ...args]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  it('ingest prints its summary, with one entry per file', () => {
    const s = json(['ingest', WORKER, '--json']);
    const lines = fs.readFileSync(WORKER, 'utf8').split('\n').filter(Boolean).length;
    expect(s.lines).toBe(lines);
    expect(s.files).toEqual([expect.objectContaining({ path: WORKER, status: 'read', lines, events: s.events })]);
    expect(s.events + s.quarantined + s.ignored).toBe(lines);
  });

  it('status, analyze, formats, detect, baseline list and prune', () => {
    expect(json(['status', '--json']).events).toBe(json(['status', '--format', 'json']).events);
    const doc = json(['analyze', '--days', '7', '--now', NOW, '--json']);
    expect(doc.schemaVersion).toBe(1);
    expect(json(['analyze', '--days', '7', '--now', NOW, '--format', 'json']).overall).toEqual(doc.overall);
    expect(json(['formats', '--json']).map((f: { name: string }) => f.name)).toContain('native');
    expect(json(['detect', WORKER, '--json'])[0].file).toBe(WORKER);
    expect(runCli(['--db', db, 'baseline', 'save', 'b1', '--days', '7', '--now', NOW]).code).toBe(0);
    expect(json(['baseline', 'list', '--json']).map((b: { name: string }) => b.name)).toEqual(['b1']);
    expect(json(['prune', '--older-than', '400d', '--now', NOW, '--json'])).toEqual({ deleted: 0, prunedBefore: expect.any(String) });
  });
});

describe('watch: --log-format for the logs, --format for the live report', () => {
  it('an unknown --log-format is a usage error', () => {
    const dir = tmpDir();
    const r = runCli(['--db', path.join(dir, 'o.db'), 'watch', dir, '--log-format', 'nginx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^oplens: --log-format: unknown format "nginx"/);
  });

  it('--format takes html or md; two log formats there are refused with a pointer to --log-format', () => {
    const dir = tmpDir();
    const r = runCli(['--db', path.join(dir, 'o.db'), 'watch', dir, '--format', 'caddy,envoy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format: expected html or md, got caddy, envoy\n {2}hint: the log format is --log-format NAME/);
  });
});

describe('colour', () => {
  it('--color colours the summary even into a pipe and over NO_COLOR; --no-color wins over FORCE_COLOR', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'o.db');
    expect(runCli(['--db', db, 'ingest', WORKER]).code).toBe(0);
    const args = ['--db', db, 'analyze', '--days', '7', '--now', NOW];
    expect(runCli(args).stdout).not.toMatch(/\x1b\[/);
    expect(runCli(['--color', ...args]).stdout).toMatch(/\x1b\[1m/);
    expect(runCli(['--no-color', ...args], { env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).not.toMatch(/\x1b\[/);
    expect(runCli(args, { env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).toMatch(/\x1b\[/);
  });

  it('TERM=dumb turns colour off on a terminal; FORCE_COLOR still turns it on', async () => {
    const { useColor } = await import('../../src/cli/terminal.js');
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(useColor({ isTTY: true }, { TERM: 'dumb', FORCE_COLOR: '1' })).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: false }, {})).toBe(false);
  });
});
