import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tmpDir } from '../helpers/cli.js';
import { runCommand as run } from '../helpers/run-command.js';

/**
 * A fresh clone with the tree as it stands here (tracked files as edited, new files not ignored, deleted ones
 * gone), so the test checks this checkout and not only its last commit.
 */
function freshClone(into: string): void {
  execFileSync('git', ['clone', '--quiet', ROOT, into]);
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    const from = path.join(ROOT, f);
    const to = path.join(into, f);
    if (!fs.existsSync(from)) {
      fs.rmSync(to, { force: true });
      continue;
    }
    fs.mkdirSync(path.dirname(to), { recursive: true });
    // An untracked symlink (to a folder beside the checkout, say) is copied as the link, not as what it points to.
    if (fs.lstatSync(from).isSymbolicLink()) {
      fs.rmSync(to, { force: true, recursive: true });
      fs.symlinkSync(fs.readlinkSync(from), to);
    } else {
      fs.copyFileSync(from, to);
    }
  }
}

describe('installing from a checkout as README.md says', () => {
  it('npm ci, then npm install --global --allow-scripts=file:. . gives a working oplens, whose demo writes a report', { timeout: 900_000 }, async () => {
    const dir = tmpDir('oplens-clone-');
    const clone = path.join(dir, 'oplens');
    freshClone(clone);
    expect(fs.existsSync(path.join(clone, 'dist'))).toBe(false);
    // `npm ci` stands here as this checkout's node_modules, hard-linked: CI's own `npm ci` (.ci/run) installed it
    // from the same lock file moments before, and a second one would compile the SQLite binding again.
    execFileSync('cp', ['-al', path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules')]);

    const prefix = path.join(dir, 'prefix');
    const install = await run('npm', ['install', '--global', '--allow-scripts=file:.', '.'], {
      cwd: clone,
      // The prefix keeps the global install inside the test's directory; nothing is audited or fetched.
      env: { ...process.env, npm_config_prefix: prefix, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
    });
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr).not.toMatch(/warn|error/i);
    // The install built dist/ (the prepare script) and linked the command.
    const bin = path.join(prefix, 'bin/oplens');
    expect(fs.existsSync(path.join(clone, 'dist/cli/main.js'))).toBe(true);

    const version = await run(bin, ['--version'], { cwd: dir });
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    const demo = await run(bin, ['demo', path.join(dir, 'demo')], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    expect(demo.code, demo.stderr).toBe(0);
    const out = demo.stdout;
    const html = /^HTML report: (.+\.html)$/m.exec(out)?.[1];
    expect(html, out).toBe(path.join(dir, 'demo', 'oplens-demo-2026-W46.html'));
    expect(fs.readFileSync(html!, 'utf8')).toContain('<svg');
    expect(out).toMatch(/^Markdown report: .+\.md$/m);
  });
});
