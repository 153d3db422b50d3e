import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tmpDir } from '../helpers/cli.js';
import { runCommand } from '../helpers/run-command.js';

describe('packaging', () => {
  it('the packed tarball installs into a fresh prefix and the installed oplens analyses the demo week', { timeout: 900_000 }, async () => {
    const dir = tmpDir('oplens-pack-');
    const pack = await runCommand('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT });
    expect(pack.code, pack.stderr).toBe(0);
    const tarball = pack.stdout.trim().split('\n').pop()!;
    const tgz = path.join(dir, tarball);
    const listing = execFileSync('tar', ['tzf', tgz], { encoding: 'utf8' });
    expect(listing).toMatch(/package\/dist\/cli\/main\.js/);
    expect(listing).toMatch(/package\/templates\/report\.html\.hbs/);
    expect(listing).toMatch(/package\/oplens\.schema\.json/);
    expect(listing).toMatch(/package\/dist\/oplens\.1/);
    expect(listing).toMatch(/package\/dist\/api\.d\.ts/);
    expect(listing).not.toMatch(/package\/(test|src|bench)\//);
    expect(fs.statSync(tgz).size).toBeLessThan(2 << 20);

    const prefix = path.join(dir, 'prefix');
    // Install scripts are skipped: the native SQLite binding this checkout already compiled is reused instead of
    // being compiled a second time for the same Node.
    const install = await runCommand('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tgz], { cwd: dir });
    expect(install.code, install.stderr).toBe(0);
    const installed = path.join(prefix, 'lib/node_modules/oplens');
    const binding = path.join(installed, 'node_modules/better-sqlite3/build');
    fs.cpSync(path.join(ROOT, 'node_modules/better-sqlite3/build'), binding, { recursive: true });

    // The man page goes where man finds it under the prefix.
    expect(fs.readFileSync(path.join(prefix, 'share/man/man1/oplens.1'), 'utf8')).toMatch(/^\.TH OPLENS 1 /);
    const bin = path.join(prefix, 'bin/oplens');
    const work = path.join(dir, 'work');
    fs.mkdirSync(work);
    const run = async (...args: string[]) => {
      const r = await runCommand(bin, args, { cwd: work, env: { ...process.env, NO_COLOR: '1' } });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    await run('ingest', path.join(installed, 'fixtures/demo'));
    const doc = JSON.parse(await run('analyze', '--days', '7', '--now', '2026-11-16T00:00:00Z', '--format', 'json'));
    expect(doc.overall.count).toBeGreaterThan(10_000);
    await run('analyze', '--days', '7', '--now', '2026-11-16T00:00:00Z', '--format', 'html,md', '--out', path.join(work, 'out'));
    const written = fs.readdirSync(path.join(work, 'out'));
    expect(written.some((f) => f.endsWith('.html'))).toBe(true);
    expect(written.some((f) => f.endsWith('.md'))).toBe(true);
    // The shipped demo runs from the installed package and says where its reports are.
    const demo = await run('demo', path.join(work, 'demo'));
    expect(demo).toContain(`HTML report: ${path.join(work, 'demo', 'oplens-demo-2026-W46.html')}`);
    expect(fs.existsSync(path.join(work, 'demo', 'oplens-demo-2026-W46.md'))).toBe(true);
    expect(listing).toMatch(/package\/LICENSE/);
  });
});
