import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oplensCommand, shellQuote } from '../../src/display/shell-quote.js';
import { hasActingChars } from '../../src/display/printable.js';

/** What a real shell makes of a quoted word: its argv, NUL-separated. */
function shellArgs(shell: 'bash' | 'sh', script: string): string[] {
  const r = spawnSync(shell, ['-c', `${script}`], { encoding: 'buffer' });
  expect(r.status, r.stderr.toString()).toBe(0);
  return r.stdout.toString('utf8').split('\0').slice(0, -1);
}

const HOSTILE = [
  "x' ; touch PWNED ; echo '",
  '$(touch PWNED)',
  '`touch PWNED`',
  'a"b\\c$HOME!x',
  "''''",
  'GET /api/*?q=1&r=2|tee',
  'tab\there',
  'new\nline; touch PWNED',
  '\x1b]0;title\x07\x1b[31mred',
  'bidi \u202eevil\u202c',
  '\u0085 c1 \u009b',
  'ünïcödé 名前',
  '-n',
  '',
];

describe('shellQuote', () => {
  it.each(HOSTILE)('bash reads %j back exactly, and nothing runs', (name) => {
    expect(shellArgs('bash', `printf '%s\\0' ${shellQuote(name)}`)).toEqual([name]);
  });

  it('names without control characters use POSIX single quotes that sh reads back', () => {
    for (const name of HOSTILE.filter((n) => !hasActingChars(n))) {
      expect(shellQuote(name)).toMatch(/^('.*'|[A-Za-z0-9_@%+=:,./-]+)$/s);
      expect(shellArgs('sh', `printf '%s\\0' ${shellQuote(name)}`)).toEqual([name]);
    }
  });

  it('a quoted word is printable: no control or bidi character reaches a terminal', () => {
    for (const name of HOSTILE) expect(hasActingChars(shellQuote(name))).toBe(false);
  });

  it('any string survives bash (generated names, one shell for all)', () => {
    const special = fc.constantFrom("'", '"', '\\', '$', '`', '!', '*', ' ', '\n', '\t', '\x1b', '\x7f', '\u0085', '\u202e', '\u2066', '名');
    const any = fc.integer({ min: 1, max: 0xd7ff }).map((c) => String.fromCharCode(c));
    const names = fc.sample(fc.string({ unit: fc.oneof(special, any), maxLength: 24 }), { numRuns: 400, seed: 15 });
    expect(shellArgs('bash', names.map((n) => `printf '%s\\0' ${shellQuote(n)}`).join('\n'))).toEqual(names);
  });

  it('oplensCommand quotes each argument', () => {
    expect(oplensCommand('analyze', '--op', "it's", '--format', 'json')).toBe(`oplens analyze --op 'it'\\''s' --format json`);
  });
});
