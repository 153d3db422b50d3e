import fs from 'node:fs';
import { REPORT_FORMATS } from '../../report/report-formats.js';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { OplensError, EXIT } from '../../errors.js';
import { globals } from '../global-options.js';

/** ISO week 2026-W46, the demo's last week; the week before it is the comparison. */
const WEEK = { fromMs: Date.UTC(2026, 10, 9), toMs: Date.UTC(2026, 10, 16) };

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('try oplens without logs: ingest the shipped demo logs and write a report of their last week')
    .argument('[dir]', 'directory for the demo database and reports (default: a new temporary directory)')
    .addHelpText('after', `
The demo logs cover 2026-11-02 to 2026-11-15 (two services, a slowdown of search on Thursday 11-12, a gzipped
day, two damaged lines). The report is of ISO week 2026-W46 (11-09 to 11-15) against the week before, with the
default config; --db and --config do not apply. Prints the terminal summary and where the reports are.

Examples:
  $ oplens demo
  $ oplens demo ./oplens-demo`)
    .action(async (dir: string | undefined, _opts: object, cmd: Command) => {
      const [{ analyze }, { renderText }, { defaultConfig }, { ingest }, { writeReports }, { openIngestStore }, { palette, useColor }, { DEMO_LOGS }] = await Promise.all([
        import('../../analysis/analyze.js'), import('../../report/text/render-text.js'), import('../../config/load-config.js'),
        import('../../pipeline/ingest.js'), import('../../report/write-reports.js'), import('../open-db.js'), import('../terminal.js'),
        import('../demo-logs.js'),
      ]);
      const g = globals(cmd);
      const out = dir === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'oplens-demo-')) : path.resolve(dir);
      try {
        fs.mkdirSync(out, { recursive: true });
      } catch (e) {
        throw new OplensError(`cannot create ${out} (${(e as NodeJS.ErrnoException).code})`, EXIT.failure, 'give a directory you can write to');
      }
      const store = await openIngestStore(path.join(out, 'demo.db'));
      let doc;
      try {
        // Re-running in the same directory reads nothing twice: the checkpoints know the files.
        await ingest({ store, paths: [DEMO_LOGS] });
        doc = analyze(store, { ...WEEK, nowMs: WEEK.toMs }, defaultConfig());
      } finally {
        await store.close();
      }
      const [html, md] = writeReports(doc, { formats: [...REPORT_FORMATS], out, baseName: 'oplens-demo-2026-W46' });
      if (!g.quiet) process.stdout.write(renderText(doc, palette(useColor())) + '\n');
      process.stdout.write(`HTML report: ${html}\nMarkdown report: ${md}\n`);
    });
}
