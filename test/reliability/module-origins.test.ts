import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, tmpDir } from '../helpers/cli.js';

/**
 * Every module the CLI loads at run time, ESM and CommonJS alike, is recorded by resolve hooks and must come from
 * Node itself, the built `dist/` (and the package's own package.json, for --version) or `node_modules/`: nothing
 * from the source tree, a global path or NODE_PATH.
 */
describe('run-time dependencies', () => {
  it('are all loaded from node_modules (or Node and dist itself)', () => {
    const dir = tmpDir('oplens-origins-');
    const log = path.join(dir, 'resolved.txt');
    fs.writeFileSync(path.join(dir, 'hooks.mjs'), `
      import fs from 'node:fs';
      export async function resolve(spec, ctx, next) {
        const r = await next(spec, ctx);
        fs.appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
        return r;
      }`);
    fs.writeFileSync(path.join(dir, 'preload.cjs'), `
      const fs = require('node:fs');
      const Module = require('node:module');
      Module.register(${JSON.stringify('file://' + path.join(dir, 'hooks.mjs'))});
      const original = Module._resolveFilename;
      Module._resolveFilename = function (...args) {
        const f = original.apply(this, args);
        fs.appendFileSync(${JSON.stringify(log)}, f + '\\n');
        return f;
      };`);
    const db = path.join(dir, 'o.db');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--require', path.join(dir, 'preload.cjs'), BIN, '--db', db, ...args], {
        cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' },
      });
    expect(run('ingest', path.join(ROOT, 'fixtures/demo')).status).toBe(0);
    expect(run('analyze', '--days', '7', '--now', '2026-11-16T00:00:00Z', '--format', 'json,html,md', '--out', path.join(dir, 'out')).status).toBe(0);

    const resolved = [...new Set(fs.readFileSync(log, 'utf8').trim().split('\n'))];
    const files = resolved.filter((u) => !u.startsWith('node:') && !/^[a-z_]+$/.test(u)).map((u) => (u.startsWith('file://') ? new URL(u).pathname : u));
    expect(files.some((f) => f.includes('/node_modules/better-sqlite3/'))).toBe(true);
    expect(files.some((f) => f.includes('/node_modules/handlebars/'))).toBe(true);
    const own = (f: string) => f === path.join(ROOT, 'package.json') || f.startsWith(path.join(ROOT, 'dist') + '/');
    const outside = files.filter((f) => !own(f) && !f.startsWith(path.join(ROOT, 'node_modules') + '/'));
    expect(outside).toEqual([]);
  });
});
