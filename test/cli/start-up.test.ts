import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { moduleRecorder } from '../helpers/loaded-modules.js';

/**
 * Start-up stays cheap: a command loads its implementation when it runs, so `--version` and `--help` load neither
 * SQLite nor the analysis, ingest, report or fleet modules, and `status` only the store's read-only part. (Counted,
 * not timed: the benchmark times start-up against `node -e 0`.)
 */
describe('start-up', () => {
  const heavy = ['/node_modules/better-sqlite3/', '/node_modules/handlebars/', '/node_modules/chokidar/', '/node_modules/@clickhouse/', '/dist/store/sqlite/open-store.js', '/dist/analysis/analyze.js', '/dist/pipeline/ingest.js', '/dist/report/render-html.js', '/dist/config/load-config.js'];
  const loadedBy = (args: string[]) => {
    const modules = moduleRecorder();
    expect(modules.run(args)).toBe(0);
    return modules.files();
  };

  it.each([[['--version']], [['--help']], [['analyze', '--help']]])('oplens %j loads no command implementation', (args) => {
    const files = loadedBy(args);
    expect(files.some((f) => f.endsWith('/dist/cli/main.js'))).toBe(true);
    expect(files.filter((f) => heavy.some((h) => f.includes(h)))).toEqual([]);
  });

  it('oplens status loads the store but no analysis, ingest or report implementation', () => {
    const setup = moduleRecorder();
    const db = path.join(setup.dir, 'o.db');
    expect(setup.run(['--db', db, 'ingest', path.join(ROOT, 'fixtures/demo/api-2026-11-02.jsonl')])).toBe(0);
    const files = loadedBy(['--db', db, 'status']);
    expect(files.some((f) => f.includes('/dist/store/sqlite/read-status.js'))).toBe(true);
    const notForStatus = heavy.filter((h) => h !== '/node_modules/better-sqlite3/' && h !== '/dist/store/sqlite/open-store.js');
    expect(files.filter((f) => notForStatus.some((h) => f.includes(h)))).toEqual([]);
    // Nor the store's writer (and the rollups it builds) or its analysis queries.
    const writerOrQueries = ['/dist/store/sqlite/sqlite-store.js', '/dist/store/sqlite/write-batch.js', '/dist/store/sqlite/sqlite-queries.js', '/dist/aggregate/'];
    expect(files.filter((f) => writerOrQueries.some((h) => f.includes(h)))).toEqual([]);
  });
});
