import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, ROOT, tmpDir } from './cli.js';

/**
 * Runs the built CLI with resolve hooks that record every module it loads, ESM and CommonJS alike. `run(args)`
 * returns the exit status; `files()` every file resolved by all runs so far (Node's built-ins left out), and
 * `sources()` the modules those files hold: the source modules bundled into each file of dist/cli/'s bundle, any
 * other file as itself.
 */
export function moduleRecorder(opts: { cwd?: string } = {}) {
  const dir = tmpDir('oplens-modules-');
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
  return {
    dir,
    run(args: string[]): number | null {
      return spawnSync(process.execPath, ['--require', path.join(dir, 'preload.cjs'), BIN, ...args], {
        cwd: opts.cwd ?? dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' },
      }).status;
    },
    files(): string[] {
      if (!fs.existsSync(log)) return [];
      const resolved = [...new Set(fs.readFileSync(log, 'utf8').trim().split('\n'))];
      return resolved.filter((u) => !u.startsWith('node:') && !/^[a-z_]+$/.test(u)).map((u) => (u.startsWith('file://') ? new URL(u).pathname : u));
    },
    sources(): string[] {
      return [...new Set(this.files().flatMap(bundledModules))];
    },
  };
}

const BUNDLE_DIR = path.join(ROOT, 'dist/cli');

/**
 * The modules in a file of the bundle (scripts/bundle-cli.mjs), as absolute paths of their sources: esbuild starts
 * each module's code with a comment naming its source, relative to the package root. (A file may hold none: the
 * bundle's helpers, or a command's dynamic import answered by re-exports of shared files.) Any other file is itself.
 */
function bundledModules(file: string): string[] {
  if (path.dirname(file) !== BUNDLE_DIR || !/^(main|segment-worker|query-worker|chunk-[A-Z0-9]+)\.js$/.test(path.basename(file))) return [file];
  return [...fs.readFileSync(file, 'utf8').matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)].map((m) => path.join(ROOT, m[1]));
}
