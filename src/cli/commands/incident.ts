import type { Command } from 'commander';
import { parseRelative, parseWindow } from '../window-flags.js';
import { OplensError, UsageError } from '../../errors.js';
import { formatDuration, formatMinute, formatRange } from '../../display/format-units.js';
import { MINUTE_MS, WEEK_MS } from '../../core/time.js';
import { isReportFormat, REPORT_FORMAT_CHOICES, REPORT_FORMATS, type ReportFormat } from '../../report/report-formats.js';
import { DEFAULT_REPORT_DIR } from '../../report/report-targets.js';
import { globals } from '../global-options.js';

interface IncidentOptions {
  at: string;
  window: string;
  now?: string;
  out: string;
  format: string;
  template?: string;
}


export function registerIncident(program: Command): void {
  program
    .command('incident')
    .description('report on the window around an incident: what changed against the window before and the same window a week earlier')
    .requiredOption('--at <time>', 'when it happened: ISO-8601 (UTC when no zone is given) or an age such as 3h')
    .option('--window <length>', 'length of the window centred on --at, such as 2h, 90m, 1d', '2h')
    .option('--now <time>', 'pin "now" (ISO-8601), for reproducible runs')
    .option('--out <dir|file>', 'output directory, or one .html or .md file', DEFAULT_REPORT_DIR)
    .option('--format <list>', REPORT_FORMAT_CHOICES, REPORT_FORMATS.join(','))
    .option('--template <dir>', 'directory whose templates and partials override the shipped ones')
    .addHelpText('after', `
The window is [at − window/2, at + window/2); it is compared with the window just before it and with the same
window one week earlier. Writes reports/incident-<time>.md and .html (time like 20261120T1405Z).

Examples:
  $ oplens incident --at 2026-11-20T14:05Z
  $ oplens incident --at 2026-11-20T14:05Z --window 30m --format md --out ticket.md`)
    .action(async (opts: IncidentOptions, cmd: Command) => {
      const g = globals(cmd);
      // Opened while the report modules load: a fleet store's query worker starts up meanwhile.
      const { openReadStoreWhile } = await import('../open-db.js');
      const [{ analyzeWindows, incidentChanges, buildViewModel, writeReportModel, assertHasEvents, flagTime, storedRangeHint, config, nowMs, atMs, lengthMs, fromMs, toMs, previous }, store] = await openReadStoreWhile(g.db, async () => {
        const [{ analyzeWindows }, { loadConfig }, { incidentChanges }, { buildViewModel }, { writeReportModel }, { assertHasEvents }, { flagTime, storedRangeHint }] = await Promise.all([
          import('../../analysis/analyze.js'), import('../../config/load-config.js'),
          import('../../report/incident-changes.js'), import('../../report/view-model.js'), import('../../report/write-reports.js'), import('../../report/has-events.js'),
          import('../stored-range-hint.js'),
        ]);
        const config = loadConfig(g.config);
        const { nowMs, atMs } = parseAt(opts.at, opts.now);
        const lengthMs = parseRelative(opts.window);
        if (lengthMs === null) throw new UsageError(`--window: expected a length such as 2h, 90m or 1d, got "${opts.window}"`);
        if (atMs > nowMs) throw new UsageError(`--at ${formatMinute(atMs)} is after now (${formatMinute(nowMs)})`, 'give the time in UTC or with its zone, or pin --now');
        const fromMs = atMs - Math.floor(lengthMs / 2);
        const toMs = fromMs + lengthMs;
        const previous = { fromMs: fromMs - lengthMs, toMs: fromMs, label: `previous ${formatDuration(lengthMs)}` };
        return { analyzeWindows, incidentChanges, buildViewModel, writeReportModel, assertHasEvents, flagTime, storedRangeHint, config, nowMs, atMs, lengthMs, fromMs, toMs, previous };
      });
      try {
        const { doc, errorGroups } = analyzeWindows(store, {
          fromMs, toMs, nowMs, previous, comparisonErrorGroups: true,
          baselineWindow: { fromMs: fromMs - WEEK_MS, toMs: toMs - WEEK_MS, label: 'same window a week earlier' },
        }, config);
        if (doc.overall.count === 0) {
          const reach = (r: { from: number; to: number }) => `give --at between them (UTC unless it has a zone), e.g. oplens incident --at ${flagTime(r.to - MINUTE_MS)}`;
          assertHasEvents(doc, `nothing was logged in ${formatRange(fromMs, toMs)}; ${storedRangeHint(store.queries.extent(), { from: fromMs, to: toMs }, reach)}`);
        }
        // The document lists the top error groups of the window; new and grown ones are judged against all of theirs.
        const before = errorGroups.previous ?? [];
        const weekEarlier = errorGroups.baseline ?? [];
        const label = `incident ${formatMinute(atMs)} ± ${formatDuration(lengthMs / 2)}`;
        const model = buildViewModel(doc, {
          title: `oplens ${label}`, windowLabel: label, incident: incidentChanges(doc, before, weekEarlier),
          // formatMinute is "YYYY-MM-DD HH:MM zone": the marker names the time of day.
          markers: [{ t: atMs, label: `--at ${formatMinute(atMs).slice(11, 16)}`, kind: 'at' }],
        });
        const paths = writeReportModel(model, { formats: parseFormats(opts.format), out: opts.out, templateDir: opts.template, baseName: `incident-${fileStamp(atMs)}` });
        if (!g.quiet) process.stdout.write(paths.join('\n') + '\n');
      } finally {
        await store.close();
      }
    });
}

/** --at read by the same rules as --until (ISO-8601 or an age before now), with errors naming --at. */
function parseAt(at: string, now: string | undefined): { atMs: number; nowMs: number } {
  try {
    const w = parseWindow({ until: at, now });
    return { atMs: w.toMs, nowMs: w.nowMs };
  } catch (e) {
    if (e instanceof OplensError && e.message.startsWith('--until')) throw new UsageError(e.message.replace('--until', '--at'), e.hint);
    throw e;
  }
}

/** 20261120T1405Z: sortable, no characters that need quoting in a shell or a URL. */
function fileStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';
}

function parseFormats(list: string): ReportFormat[] {
  const formats = list.split(',').map((f) => f.trim()).filter((f) => f !== '');
  if (!formats.every(isReportFormat)) throw new UsageError(`--format: expected ${REPORT_FORMAT_CHOICES}, got "${list}"`);
  return formats;
}
