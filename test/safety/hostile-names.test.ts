import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';

const DAY = Date.UTC(2026, 11, 1);
const INJECT = "x' ; touch PWNED ; echo '";
const ESCAPES = 'evil\x1b]0;owned\x07\x1b[31mred\x1b]8;;http://x\x1b\\link\u202egnp.exe';
const ACTING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** 300 runs of each operation, 40 % of the first failing: the success-rate rule names it in a command. */
function hostileLog(dir: string): string {
  const file = path.join(dir, `app-${ESCAPES.slice(0, 8)}.jsonl`);
  let out = '';
  // A healthy operation keeps the overall success rate up, so the rule names the failing one.
  for (const op of [INJECT, ESCAPES, 'healthy', 'healthy', 'healthy', 'healthy', 'healthy']) {
    for (let i = 0; i < 300; i++) {
      const ok = op !== INJECT || i % 5 > 1;
      out += JSON.stringify({ timestamp: DAY + i * 60_000, operation: op, duration: 20 + (i % 7), success: ok, ...(ok ? {} : { error: { message: `failed ${op}` } }) }) + '\n';
    }
  }
  fs.writeFileSync(file, out);
  return file;
}

/** Runs a suggested command with `oplens` replaced by a function that prints its arguments, in an empty directory. */
function runSuggested(command: string): { args: string[]; files: string[] } {
  const cwd = tmpDir('oplens-paste-');
  const r = spawnSync('bash', ['-c', `oplens() { printf '%s\\0' "$@"; }\n${command}`], { cwd, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return { args: r.stdout.split('\0').slice(0, -1), files: fs.readdirSync(cwd) };
}

describe('log content never acts', () => {
  const dir = tmpDir();
  const db = path.join(dir, 'db');
  const log = hostileLog(dir);
  const ingest = runCli(['--db', db, '-v', 'ingest', log]);
  const out = path.join(dir, 'out');
  const analyze = runCli(['--db', db, 'analyze', '--since', '2026-12-01', '--until', '2026-12-02', '--now', '2026-12-02T00:00:00Z', '--format', 'text,json,md,html', '--out', out]);

  it('suggested commands in the JSON document run exactly what they say when pasted into bash', () => {
    expect(analyze.code, analyze.stderr).toBe(0);
    const doc = JSON.parse(fs.readFileSync(path.join(out, fs.readdirSync(out).find((f) => f.endsWith('.json'))!), 'utf8'));
    const commands: string[] = doc.recommendations.flatMap((r: { commands: string[] }) => r.commands);
    const withOp = commands.filter((c) => c.includes('--op'));
    expect(withOp.length).toBeGreaterThanOrEqual(1);
    for (const c of commands) {
      const { args, files } = runSuggested(c);
      expect(files).toEqual([]);
      if (args.includes('--op')) expect(args[args.indexOf('--op') + 1]).toBe(INJECT);
      expect(ACTING.test(c)).toBe(false); // shown printable, still exact
    }
  });

  it('Markdown shows each command as a code span that pastes to the same command', () => {
    const md = fs.readFileSync(path.join(out, fs.readdirSync(out).find((f) => f.endsWith('.md'))!), 'utf8');
    expect(md).not.toMatch(ACTING);
    const spans = [...md.matchAll(/^ {3}- (`+) ?(.*?) ?\1$/gm)].map((m) => m[2]);
    expect(spans.some((s) => s.includes('--op'))).toBe(true);
    for (const s of spans) expect(runSuggested(s).files).toEqual([]);
  });

  it('HTML shows commands in <code> and no control or bidi character', () => {
    const html = fs.readFileSync(path.join(out, fs.readdirSync(out).find((f) => f.endsWith('.html'))!), 'utf8');
    expect(html).toMatch(/<code>oplens analyze --op /);
    expect(html).not.toMatch(ACTING);
  });

  it('the terminal never receives an escape sequence from a log or a file name: ingest -v, analyze, status, detect', () => {
    expect(ingest.code, ingest.stderr).toBe(0);
    for (const text of [ingest.stderr, analyze.stdout, analyze.stderr]) expect(text).not.toMatch(ACTING);
    const status = runCli(['--db', db, 'status']);
    expect(status.stdout + status.stderr).not.toMatch(ACTING);
    const detect = runCli(['detect', log]);
    expect(detect.stdout + detect.stderr).not.toMatch(ACTING);
    const missing = runCli(['--db', db, 'ingest', path.join(dir, 'gone-\x1b[2J.jsonl')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).not.toMatch(ACTING);
    expect(missing.stderr).toContain('\\x1b[2J');
  });
});
