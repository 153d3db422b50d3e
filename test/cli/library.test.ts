import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, storedCount, tmpDir } from '../helpers/cli.js';
import { runCommand } from '../helpers/run-command.js';

const DEMO = path.join(ROOT, 'fixtures/demo');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

/**
 * A separate project with oplens installed from its packed tarball: only the shipped files, and beside it only the
 * runtime dependencies package.json declares (linked from this checkout, so nothing is compiled again). Type
 * declarations of dev dependencies are not there, as in a user's project.
 */
async function consumerProject(): Promise<string> {
  const dir = tmpDir('oplens-library-');
  const pack = await runCommand('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT });
  expect(pack.code, pack.stderr).toBe(0);
  const installed = path.join(dir, 'node_modules/oplens');
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['xzf', path.join(dir, pack.stdout.trim().split('\n').pop()!), '-C', installed, '--strip-components=1']);
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const dep of [...Object.keys(manifest.dependencies), '@types/node']) {
    fs.mkdirSync(path.dirname(path.join(dir, 'node_modules', dep)), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(dir, 'node_modules', dep));
  }
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'reports', private: true, type: 'module' }));
  fs.cpSync(DEMO, path.join(dir, 'logs'), { recursive: true });
  return dir;
}

/** The README's example, as the README shows it. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## Library$/m)[1].split(/^## /m)[0];
  return /```js\n([\s\S]*?)```/.exec(section)![1];
}

describe('oplens as a library, installed from its tarball into another project', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await consumerProject();
  }, 300_000);

  it("runs the README's example, which gives the numbers the CLI gives", async () => {
    fs.writeFileSync(path.join(dir, 'week.mjs'), readmeExample());
    const r = await runCommand(process.execPath, ['week.mjs'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);

    // The same logs through the CLI into a store of its own.
    const cliDb = path.join(tmpDir(), 'cli.db');
    expect(runCli(['--db', cliDb, 'ingest', DEMO, '--quiet']).code).toBe(0);
    const cli = runCli(['--db', cliDb, 'analyze', '--since', '2026-11-09', '--until', '2026-11-16', '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    const doc = JSON.parse(cli.stdout);

    const events = storedCount(path.join(dir, 'oplens.db'));
    expect(events).toBe(storedCount(cliDb));
    const slowest = [...doc.operations].sort((a: { p95: number }, b: { p95: number }) => b.p95 - a.p95).slice(0, 3);
    expect(r.stdout).toBe([
      `read ${events} events, 2 lines quarantined`,
      `p95 ${doc.overall.p95.toFixed(1)} ms over ${doc.overall.count} operations: ${doc.verdict.status}`,
      ...slowest.map((op: { op: string; p95: number }) => `  ${op.op}: p95 ${op.p95.toFixed(1)} ms`),
    ].join('\n') + '\n');
    const md = fs.readFileSync(path.join(dir, 'week.md'), 'utf8');
    expect(md).toMatch(/^# API, 2026-W46/);
    expect(md).toContain(doc.recommendations[0].title);
  });

  it('type-checks a TypeScript script against the shipped declarations, which are not any', async () => {
    fs.writeFileSync(path.join(dir, 'use.ts'), `
import { analyze, ingest, openStore, render, OplensError, type AnalysisDocument, type IngestResult, type Store } from 'oplens';
const store: Store = await openStore('typed.db');
try {
  const run: IngestResult = await ingest(store, ['logs/'], { logFormat: 'auto' });
  const doc: AnalysisDocument = await analyze(store, { days: 7, now: new Date('2026-11-16T00:00:00Z'), groupBy: 'source' });
  const failed: string[] = run.files.filter((f) => f.status === 'failed').map((f) => f.path);
  console.log(doc.operations.length, doc.overall.p99 ?? 0, failed.length, render(doc, 'text').length > 0);
  await analyze(store, { since: 'yesterday' }).catch((e: unknown) => console.log(e instanceof OplensError ? e.exitCode : 'other'));
} finally {
  await store.close();
}
`);
    // What the declarations must refuse: a nullable percentile used as a number, a window length as text, an
    // unknown report format.
    fs.writeFileSync(path.join(dir, 'misuse.ts'), `
import { analyze, openStore, render } from 'oplens';
const store = await openStore('typed.db');
const doc = await analyze(store, { days: '7' });
const p95: number = doc.overall.p95;
render(doc, 'pdf');
`);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, outDir: 'out', types: ['node'] },
      files: ['use.ts', 'misuse.ts'],
    }));
    const tsc = await runCommand(process.execPath, [TSC, '-p', '.'], { cwd: dir });
    const errors = tsc.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    expect(errors.map((l) => /^(\S+?)\((\d+),/.exec(l)?.slice(1).join(':'))).toEqual(['misuse.ts:4', 'misuse.ts:5', 'misuse.ts:6']);

    const run = await runCommand(process.execPath, ['out/use.js'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const [ops, , failed, text, exitCode] = run.stdout.trim().split(/\s+/);
    expect(Number(ops)).toBe(2); // the demo's two services
    expect([failed, text, exitCode]).toEqual(['0', 'true', '2']);
  });

  it('exposes only its entry point: inner modules cannot be imported', async () => {
    const r = await runCommand(process.execPath, ['--input-type=module', '-e', "await import('oplens/dist/store/sqlite/open-store.js')"], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
    const main = await runCommand(process.execPath, ['--input-type=module', '-e', "const m = await import('oplens'); console.log(Object.keys(m).sort().join(' '))"], { cwd: dir });
    expect(main.stdout.trim()).toBe('ANALYSIS_SCHEMA_VERSION OplensError analyze ingest openStore render');
  });
});
