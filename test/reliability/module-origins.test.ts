import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { moduleRecorder } from '../helpers/loaded-modules.js';

/**
 * Every module the CLI loads at run time, ESM and CommonJS alike, is recorded by resolve hooks and must come from
 * Node itself, the built `dist/` (and the package's own package.json, for --version) or `node_modules/`: nothing
 * from the source tree, a global path or NODE_PATH.
 */
describe('run-time dependencies', () => {
  it('are all loaded from node_modules (or Node and dist itself)', () => {
    const modules = moduleRecorder();
    const db = path.join(modules.dir, 'o.db');
    const run = (...args: string[]) => modules.run(['--db', db, ...args]);
    expect(run('ingest', path.join(ROOT, 'fixtures/demo'))).toBe(0);
    expect(run('analyze', '--days', '7', '--now', '2026-11-16T00:00:00Z', '--format', 'json,html,md', '--out', path.join(modules.dir, 'out'))).toBe(0);

    const files = modules.files();
    expect(files.some((f) => f.includes('/node_modules/better-sqlite3/'))).toBe(true);
    expect(files.some((f) => f.includes('/node_modules/handlebars/'))).toBe(true);
    const own = (f: string) => f === path.join(ROOT, 'package.json') || f.startsWith(path.join(ROOT, 'dist') + '/');
    const outside = files.filter((f) => !own(f) && !f.startsWith(path.join(ROOT, 'node_modules') + '/'));
    expect(outside).toEqual([]);
  });
});
