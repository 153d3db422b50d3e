import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { moduleRecorder } from '../helpers/loaded-modules.js';

/**
 * Start-up stays cheap: a command loads its implementation when it runs, so `--version` and `--help` load neither
 * SQLite nor the analysis, ingest, report or fleet modules, and `status` only the store's read-only part. Counted
 * by source module, whether it was loaded from its own file or from a file of the bundle (dist/cli/), and not timed:
 * the benchmark times start-up against `node -e 0`.
 */
describe('start-up', () => {
  const src = (f: string) => path.join(ROOT, 'src', f);
  const heavy = [
    '/node_modules/better-sqlite3/', '/node_modules/handlebars/', '/node_modules/chokidar/', '/node_modules/@clickhouse/',
    src('store/sqlite/open-store.ts'), src('analysis/analyze.ts'), src('pipeline/ingest.ts'), src('report/render-html.ts'), src('config/load-config.ts'),
  ];
  const loadedBy = (args: string[]) => {
    const modules = moduleRecorder();
    expect(modules.run(args)).toBe(0);
    return modules.sources();
  };

  it.each([[['--version']], [['--help']], [['analyze', '--help']]])('oplens %j loads no command implementation', (args) => {
    const files = loadedBy(args);
    expect(files).toContain(src('cli/main.ts'));
    expect(files).toContain(src('cli/commands/analyze.ts'));
    expect(files.filter((f) => heavy.some((h) => f.includes(h)))).toEqual([]);
  });

  it('oplens status loads the store but no analysis, ingest or report implementation', () => {
    const setup = moduleRecorder();
    const db = path.join(setup.dir, 'o.db');
    expect(setup.run(['--db', db, 'ingest', path.join(ROOT, 'fixtures/demo/api-2026-11-02.jsonl')])).toBe(0);
    const files = loadedBy(['--db', db, 'status']);
    expect(files).toContain(src('store/sqlite/read-status.ts'));
    const notForStatus = heavy.filter((h) => h !== '/node_modules/better-sqlite3/' && h !== src('store/sqlite/open-store.ts'));
    expect(files.filter((f) => notForStatus.some((h) => f.includes(h)))).toEqual([]);
    // Nor the store's writer (and the rollups it builds) or its analysis queries.
    const writerOrQueries = ['store/sqlite/sqlite-store.ts', 'store/sqlite/write-batch.ts', 'store/sqlite/sqlite-queries.ts', 'aggregate/'].map(src);
    expect(files.filter((f) => writerOrQueries.some((h) => f.includes(h)))).toEqual([]);
  });
});
