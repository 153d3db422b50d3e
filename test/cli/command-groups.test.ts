import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';

/** The names under "Commands:" in a help text, without commander's own `help`. */
function subcommands(help: string): string[] {
  const section = help.split(/^Commands:\n/m)[1];
  if (!section) return [];
  return [...section.split(/\n\n/)[0].matchAll(/^ {2}(\w[\w-]*)/gm)].map((m) => m[1]).filter((n) => n !== 'help');
}

/** Every command that only groups others (`report`, `baseline`), and the program itself, found from the help. */
function groups(): string[][] {
  const found: string[][] = [[]];
  const walk = (words: string[]) => {
    for (const name of subcommands(runCli([...words, '--help']).stdout)) {
      const child = [...words, name];
      if (subcommands(runCli([...child, '--help']).stdout).length) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk([]);
  return found;
}

describe('a command group without a subcommand', () => {
  const all = groups();

  it('is found for report and baseline', () => {
    expect(all).toEqual(expect.arrayContaining([[], ['report'], ['baseline']]));
  });

  it.each(all.map((g) => [g.join(' ') || '(the program)', g]))('%s prints its full help with its subcommands and exits 2', (_name, words) => {
    const r = runCli(['--db', path.join(tmpDir(), 'o.db'), ...(words as string[])]);
    const help = runCli([...(words as string[]), '--help']);
    expect(help.code).toBe(0);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // The same text `--help` prints, on stderr because it answers a usage error.
    expect(r.stderr).toBe(help.stdout);
    expect(subcommands(r.stderr).length).toBeGreaterThan(0);
  });
});
