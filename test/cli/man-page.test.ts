import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { helpCommands } from '../helpers/help-text.js';

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { man: string[]; scripts: { build: string } };
const PAGE = path.join(ROOT, manifest.man[0]);

/** The page as man shows it on a 200-column UTF-8 terminal, and what groff said while formatting it. */
function rendered(): { text: string; warnings: string } {
  const r = spawnSync('man', ['--warnings', '-l', PAGE], { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', MANWIDTH: '200', MAN_KEEP_FORMATTING: '', PAGER: 'cat' } });
  expect(r.status, r.stderr).toBe(0);
  return { text: r.stdout.replace(/.\x08/g, ''), warnings: r.stderr };
}

describe('the man page', () => {
  it('is built by the build into the file package.json installs', () => {
    expect(manifest.scripts.build).toMatch(/write-man-page/);
    expect(fs.readFileSync(PAGE, 'utf8')).toMatch(/^\.TH OPLENS 1 /);
  });

  it('renders without a warning from man or groff', () => {
    expect(rendered().warnings).toBe('');
    const groff = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', PAGE], { encoding: 'utf8' });
    expect(groff.status).toBe(0);
    expect(groff.stderr).toBe('');
  });

  it('has every command and, in its section, every option its --help lists', () => {
    const { text } = rendered();
    const sections = text.split(/^ {3}(?=oplens )/m);
    const commands = helpCommands();
    expect(commands.length).toBeGreaterThan(15);
    for (const c of commands) {
      if (c.path.length === 0) {
        const options = text.split(/^OPTIONS$/m)[1].split(/^COMMANDS$/m)[0];
        for (const o of c.options) for (const n of o.names) expect(options, n).toContain(n);
        continue;
      }
      const name = ['oplens', ...c.path].join(' ');
      const section = sections.find((s) => s.startsWith(`${name} [`) || s.startsWith(`${name}\n`));
      expect(section, name).toBeDefined();
      for (const o of c.options) for (const n of o.names) expect(section, `${name} ${n}`).toMatch(new RegExp(`^ {7}(.*, )?${n}\\b`, 'm'));
    }
  });

  it('shows help text as written: no "(default: [])", examples kept line by line', () => {
    const { text } = rendered();
    expect(text).not.toContain('default: []');
    expect(text).toContain('  $ oplens ingest \'logs/**/*.jsonl.gz\' --source api\n');
    expect(text).toContain('region …');
  });
});
