import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';
import { helpCommands, parseHelp } from '../helpers/help-text.js';

describe('a command group without a subcommand', () => {
  const all = helpCommands().filter((c) => c.subcommands.length).map((c) => c.path);

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
    expect(parseHelp([], r.stderr).subcommands.length).toBeGreaterThan(0);
  });
});
