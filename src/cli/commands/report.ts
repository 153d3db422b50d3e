import type { Command } from 'commander';
import { REPORT_FORMATS } from '../../report/report-formats.js';
import { parseWindow } from '../window-flags.js';
import { UsageError } from '../../errors.js';
import { formatMinute } from '../../display/format-units.js';
import { DEFAULT_REPORT_DIR } from '../../report/report-targets.js';
import { globals } from '../global-options.js';

interface WeeklyOptions {
  week?: string;
  out: string;
  now?: string;
  template?: string;
}

export function registerReport(program: Command): void {
  const report = program
    .command('report')
    .description('write scheduled reports (report weekly)')
    .addHelpText('after', `
Examples:
  $ oplens report weekly
  $ oplens report weekly --week 2026-W47 --out /srv/reports/ --verbose`);
  report
    .command('weekly')
    .description('the last full ISO week (or --week) against the week before, as reports/oplens-YYYY-Www.html and .md')
    .option('--week <week>', 'ISO week such as 2026-W47 (default: the last full week before now)')
    .option('--out <dir>', 'output directory', DEFAULT_REPORT_DIR)
    .option('--now <time>', 'pin "now" (ISO-8601), for reproducible runs')
    .option('--template <dir>', 'directory whose templates and partials override the shipped ones')
    .addHelpText('after', `
Safe for cron: needs no terminal, prints nothing but errors (the written paths with --verbose), exits 1 when it
fails, including when the week has no events.

Examples:
  $ oplens report weekly
  $ oplens report weekly --week 2026-W47 --out /srv/www/reports --verbose
  crontab: 15 6 * * 1  cd /srv/oplens && oplens ingest logs/ --quiet && oplens report weekly`)
    .action(async (opts: WeeklyOptions, cmd: Command) => {
      const g = globals(cmd);
      // Opened while the report modules load: a fleet store's query worker starts up meanwhile.
      const { openReadStoreWhile } = await import('../open-db.js');
      const [{ analyze, isoWeekOf, buildViewModel, writeReportModel, assertHasEvents, storedRangeHint, config, nowMs, week, prev }, store] = await openReadStoreWhile(g.db, async () => {
        const [{ analyze }, { loadConfig }, { isoWeekOf, lastFullIsoWeek, parseIsoWeek, previousIsoWeek }, { buildViewModel }, { writeReportModel }, { assertHasEvents }, { storedRangeHint }] = await Promise.all([
          import('../../analysis/analyze.js'), import('../../config/load-config.js'),
          import('../../report/iso-week.js'), import('../../report/view-model.js'), import('../../report/write-reports.js'), import('../../report/has-events.js'),
          import('../stored-range-hint.js'),
        ]);
        const config = loadConfig(g.config);
        const { nowMs } = parseWindow({ now: opts.now });
        const week = opts.week === undefined ? lastFullIsoWeek(nowMs) : parseIsoWeek(opts.week);
        if (week.toMs > nowMs) {
          throw new UsageError(`--week ${week.label} is not over yet (it ends ${formatMinute(week.toMs)})`, `the last full week is ${lastFullIsoWeek(nowMs).label}`);
        }
        const prev = previousIsoWeek(week);
        return { analyze, isoWeekOf, buildViewModel, writeReportModel, assertHasEvents, storedRangeHint, config, nowMs, week, prev };
      });
      try {
        const doc = analyze(store, {
          fromMs: week.fromMs, toMs: week.toMs, nowMs,
          previous: { fromMs: prev.fromMs, toMs: prev.toMs, label: `previous week (${prev.label})` },
        }, config);
        if (doc.overall.count === 0) {
          // The latest full week that holds events (its last one, if the data ends mid-week).
          const reach = (r: { from: number; to: number }) => `oplens report weekly --week ${isoWeekOf(r.to - 1).label}`;
          assertHasEvents(doc, `nothing was ingested for ${week.label}; ${storedRangeHint(store.queries.extent(), { from: week.fromMs, to: week.toMs }, reach)}`);
        }
        const model = buildViewModel(doc, { title: `oplens weekly report ${week.label}`, windowLabel: week.label });
        const paths = writeReportModel(model, { formats: [...REPORT_FORMATS], out: opts.out, templateDir: opts.template, baseName: `oplens-${week.label}` });
        if (g.verbose) process.stdout.write(paths.join('\n') + '\n');
      } finally {
        await store.close();
      }
    });
}
