import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';
import { helpCommands, type HelpCommand } from '../helpers/help-text.js';

/** A command line up to the cursor: the words before it and the word being completed. */
type Line = string[];

interface Case {
  line: Line;
  /** Exactly these candidates, or (with `some`) at least these. */
  expected: string[];
  some?: boolean;
}

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function script(shell: string): string {
  const r = runCli(['completion', shell]);
  expect(r.code, r.stderr).toBe(0);
  const file = path.join(tmpDir(), `oplens.${shell}`);
  fs.writeFileSync(file, r.stdout);
  return file;
}

/** What `--help` promises, as completion cases: subcommands, options (own and the program's), choices. */
function casesFromHelp(commands: HelpCommand[]): Case[] {
  const root = commands.find((c) => c.path.length === 0)!;
  const longs = (c: HelpCommand) => c.options.flatMap((o) => o.names.filter((n) => n.startsWith('--')));
  const cases: Case[] = [];
  for (const c of commands) {
    const words = ['oplens', ...c.path];
    if (c.subcommands.length) cases.push({ line: [...words, ''], expected: c.subcommands });
    cases.push({ line: [...words, '--'], expected: [...new Set([...longs(c), ...longs(root)])], some: true });
    for (const o of c.options) {
      const choices = /\(choices: ((?:"[^"]*"(?:, )?)+)/.exec(o.text)?.[1];
      if (choices) cases.push({ line: [...words, o.names.at(-1)!, ''], expected: choices.match(/"[^"]*"/g)!.map((s) => JSON.parse(s)) });
    }
  }
  return cases;
}

/** Cases about the line as a whole: values skipped, `--opt=value`, files, arguments. */
function lineCases(dir: string): Case[] {
  return [
    { line: ['oplens', '--db', path.join(dir, 'x.db'), 'rep'], expected: ['report'] },
    { line: ['oplens', 'analyze', '--days', '7', '--gr'], expected: ['--group-by'] },
    { line: ['oplens', 'baseline', 's'], expected: ['save'] },
    { line: ['oplens', '--db', path.join(dir, 'sto')], expected: [path.join(dir, 'store.db')] },
    { line: ['oplens', 'ingest', '--source', 'api', path.join(dir, 'logs', 'a')], expected: [path.join(dir, 'logs', 'app.jsonl')] },
    { line: ['oplens', 'completion', ''], expected: ['bash', 'zsh', 'fish'] },
    { line: ['oplens', 'help', 'ba'], expected: ['baseline'] },
  ];
}

function sameCandidates(got: string[], c: Case): void {
  const want = [...c.expected].sort();
  if (c.some) expect(got, c.line.join(' ')).toEqual(expect.arrayContaining(want));
  else expect([...got].sort(), c.line.join(' ')).toEqual(want);
}

describe('shell completion, generated from the command tree', () => {
  let commands: HelpCommand[];
  let dir: string;
  beforeAll(() => {
    commands = helpCommands();
    dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'store.db'), '');
    fs.mkdirSync(path.join(dir, 'logs'));
    fs.writeFileSync(path.join(dir, 'logs', 'app.jsonl'), '');
  });

  it('bash: the script registers itself and completes what --help lists, in a real bash', () => {
    const file = script('bash');
    const cases = [...casesFromHelp(commands), ...lineCases(dir)];
    // bash splits `--db=x` at '=' into three words; the script is driven with COMP_WORDS as bash fills it.
    cases.push({ line: ['oplens', '--db', '=', path.join(dir, 'sto')], expected: [path.join(dir, 'store.db')] });
    cases.push({ line: ['oplens', 'analyze', '--fail-on', '=', 'cr'], expected: ['critical'] });
    const driver = [
      `source ${sq(file)}`,
      'complete -p oplens',
      't() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _oplens; printf "%s\\x1f" "${COMPREPLY[@]}"; printf "\\n"; }',
      ...cases.map((c) => `t ${c.line.map(sq).join(' ')}`),
    ].join('\n');
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', driver], { encoding: 'utf8', cwd: dir });
    expect(r.stderr).toBe('');
    const [registered, ...results] = r.stdout.split('\n');
    expect(registered).toBe('complete -F _oplens oplens');
    cases.forEach((c, i) => sameCandidates(results[i].split('\x1f').filter(Boolean), c));
  });

  it('fish: the script completes what --help lists, with each help text, in a real fish', () => {
    const file = script('fish');
    expect(spawnSync('fish', ['--no-execute', file], { encoding: 'utf8' }).status).toBe(0);
    const cases = [...casesFromHelp(commands), ...lineCases(dir)];
    const driver = [
      `source ${sq(file)}`,
      ...cases.map((c) => `complete -C ${sq(c.line.join(' '))}; echo '--end--'`),
    ].join('\n');
    const r = spawnSync('fish', ['--no-config', '-c', driver], { encoding: 'utf8', cwd: dir });
    expect(r.stderr).toBe('');
    const results = r.stdout.split('--end--\n');
    cases.forEach((c, i) => sameCandidates(results[i].split('\n').filter(Boolean).map((l) => l.split('\t')[0]), c));
    // Subcommands carry their description.
    expect(results[0]).toMatch(/^analyze\tKPIs, percentiles/m);
  });

  it('zsh: the script parses, registers itself with compinit, and has a function for every command with its options', () => {
    const file = script('zsh');
    expect(spawnSync('zsh', ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    const r = spawnSync('zsh', ['-f', '-c', `autoload -U compinit && compinit -u -D && source ${sq(file)} && print -r -- $_comps[oplens]`], { encoding: 'utf8', cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('_oplens\n');
    const text = fs.readFileSync(file, 'utf8');
    for (const c of commands) {
      const body = new RegExp(`^${['_oplens', ...c.path].join('_').replace(/-/g, '_')}\\(\\) \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(text)?.[1];
      expect(body, c.path.join(' ')).toBeDefined();
      for (const name of c.options.flatMap((o) => o.names)) expect(body, `${c.path.join(' ')} ${name}`).toContain(`${name}[`);
      for (const sub of c.subcommands) expect(body).toMatch(new RegExp(`^ +'${sub}:`, 'm'));
    }
  });

  it('an unknown shell is a usage error that names the choices', () => {
    const r = runCli(['completion', 'powershell']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^oplens: .*'powershell' is invalid.*Allowed choices are bash, zsh, fish/);
  });
});
