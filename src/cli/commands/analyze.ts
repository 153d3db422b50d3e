import { jsonText } from '../../display/printable.js';
import { REPORT_FORMATS } from '../../report/report-formats.js';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { AnalysisDocument } from '../../analysis/analysis-document.js';
import { parseWindow } from '../window-flags.js';
import { EXIT, UsageError } from '../../errors.js';
import { globals } from '../global-options.js';
import { jsonOption } from '../json-output.js';
import { note, palette, useColor } from '../terminal.js';

const FORMATS = ['text', 'json', ...REPORT_FORMATS] as const;
type Format = (typeof FORMATS)[number];

interface AnalyzeFlags {
  days?: string;
  hours?: string;
  since?: string;
  until?: string;
  now?: string;
  op?: string;
  source?: string;
  groupBy: string;
  where: string[];
  exact: boolean;
  baseline?: string;
  compare: boolean;
  format: string[];
  json?: boolean;
  out?: string;
  template?: string;
  failOn?: 'warning' | 'critical';
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('KPIs, percentiles, error categories, trends, comparisons and threshold checks for a window')
    .option('--days <n>', 'window length in days (default 7)')
    .option('--hours <n>', 'window length in hours')
    .option('--since <time>', 'window start: ISO-8601 or an age such as 36h, 7d, 90m (inclusive)')
    .option('--until <time>', 'window end: ISO-8601 or an age (exclusive; default now)')
    .option('--now <time>', 'pin "now" (ISO-8601), for reproducible runs')
    .option('--op <glob>', 'only operations matching this glob (* and ?)')
    .option('--source <name>', 'only events from this source')
    .option('--group-by <key>', 'group the per-group table by op, source or a dimension of the lines (host, version, region …)', 'op')
    .addOption(new Option('--where <field=value>', 'only events whose dimension has this value (repeatable: all must hold)').argParser((v: string, prev: string[]) => [...prev, v]).default([], 'none'))
    .option('--exact', 'exact percentiles from raw events (the window must still be retained)', false)
    .option('--baseline <name>', 'also compare with a saved baseline (oplens baseline save)')
    .option('--no-compare', 'skip the comparison with the previous window')
    .addOption(new Option('--format <list>', 'text, json (also --json), html, md; a comma list or repeated').argParser(collect).default([], 'text'))
    .addOption(jsonOption('the analysis document'))
    .option('--out <dir>', 'directory for json/html/md files (json goes to stdout without it; html/md default to reports/)')
    .option('--template <dir>', 'directory whose templates override the shipped ones (html/md)')
    .addOption(new Option('--fail-on <level>', 'exit 3 when a threshold breach reaches this level').choices(['warning', 'critical']))
    .addHelpText('after', `
The window is [since, until): an event stamped exactly at the start is in it, one at the end is not.
Exit codes: 0 ok, 1 failure (no events in the window), 2 usage error, 3 thresholds breached with --fail-on.

Examples:
  $ oplens analyze --days 7
  $ oplens analyze --since 2026-11-09 --until 2026-11-16 --op 'GET /api/*' --json | jq .overall.p95
  $ oplens analyze --hours 6 --baseline before-release --fail-on critical
  $ oplens analyze --days 7 --format html,md --out reports/
  $ oplens analyze --days 7 --where version=2.4.1 --group-by host`)
    .action(async (flags: AnalyzeFlags, cmd: Command) => {
      const g = globals(cmd);
      // Opened while the analysis modules load: a fleet store's query worker starts up meanwhile.
      const { openReadStoreWhile } = await import('../open-db.js');
      const [{ analyze, LEVEL_RANK, assertHasEvents, flagTime, storedRangeHint, formats, config, w, slice }, store] = await openReadStoreWhile(g.db, async () => {
        const [{ analyze }, { LEVEL_RANK }, { loadConfig }, { assertHasEvents }, { flagTime, storedRangeHint }] = await Promise.all([
          import('../../analysis/analyze.js'), import('../../analysis/thresholds.js'), import('../../config/load-config.js'),
          import('../../report/has-events.js'), import('../stored-range-hint.js'),
        ]);
        const formats = parseFormats(flags.json ? [...flags.format, 'json'] : flags.format);
        const config = loadConfig(g.config);
        const w = parseWindow(flags);
        const slice = { groupBy: parseGroupBy(flags.groupBy), where: parseWhere(flags.where) };
        return { analyze, LEVEL_RANK, assertHasEvents, flagTime, storedRangeHint, formats, config, w, slice };
      });
      let doc: AnalysisDocument;
      let hint: string | undefined;
      try {
        doc = analyze(store, {
          ...w, ...slice, op: flags.op, source: flags.source, exact: flags.exact,
          baseline: flags.baseline, ...(flags.compare ? {} : { previous: null }),
        }, config);
        if (doc.overall.count === 0) {
          const filters = [flags.op && `match --op`, flags.source && 'come from --source', Object.keys(slice.where).length && 'have the --where values'].filter(Boolean).join(' and ');
          hint = storedRangeHint(store.queries.extent(), { from: w.fromMs, to: w.toMs }, (r) => `oplens analyze --since ${flagTime(r.from)} --until ${flagTime(r.to)}`, filters);
        }
      } finally {
        await store.close();
      }
      assertHasEvents(doc, hint);
      await emit(doc, formats, flags, g.quiet);
      if (flags.failOn) {
        const worst = doc.thresholds.filter((t) => LEVEL_RANK[t.level] >= LEVEL_RANK[flags.failOn!]);
        if (worst.length) {
          note(g.quiet, `oplens: ${worst.length} threshold breach${worst.length === 1 ? '' : 'es'} at ${flags.failOn} level or above (--fail-on ${flags.failOn})`);
          process.exitCode = EXIT.thresholdsBreached;
        }
      }
    });
}

/** `op`, `source` or a dimension name: a field name as the lines write it. */
function parseGroupBy(key: string): string {
  if (!/^[A-Za-z_][\w.-]{0,99}$/.test(key)) throw new UsageError(`--group-by: expected op, source or a field name such as host, got "${key}"`);
  return key;
}

/** `--where host=api-3 --where version=2.4.1` → { host: 'api-3', version: '2.4.1' }. */
function parseWhere(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--where: expected FIELD=VALUE such as version=2.4.1, got "${item}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

function parseFormats(list: string[]): Format[] {
  const formats = list.length ? [...new Set(list)] : ['text'];
  for (const f of formats) {
    if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format: expected text, json, html or md, got "${f}"`);
  }
  return formats as Format[];
}

async function emit(doc: AnalysisDocument, formats: Format[], flags: AnalyzeFlags, quiet: boolean): Promise<void> {
  const base = baseName(doc);
  if (formats.includes('json') && formats.includes('text') && !flags.out) {
    throw new UsageError('--format text,json would print both to stdout', 'pass --out DIR to write the JSON document to a file');
  }
  const written: string[] = [];
  const reports = formats.filter((f): f is 'html' | 'md' => f === 'html' || f === 'md');
  if (reports.length) {
    const { writeReports } = await import('../../report/write-reports.js');
    written.push(...writeReports(doc, { formats: reports, out: flags.out, templateDir: flags.template, baseName: base }));
  }
  if (formats.includes('json')) {
    const text = jsonText(doc) + '\n';
    if (flags.out) written.push(await writeJson(flags.out, base, text));
    else process.stdout.write(text);
  }
  if (formats.includes('text') && !quiet) {
    const { renderText } = await import('../../report/text/render-text.js');
    process.stdout.write(renderText(doc, palette(useColor())));
  }
  for (const f of written) note(quiet, `wrote ${f}`);
}

/** `oplens-2026-11-09T0000Z-2026-11-16T0000Z`: sorts by time and is a plain file name everywhere. */
function baseName(doc: AnalysisDocument): string {
  const stamp = (iso: string) => iso.slice(0, 16).replace(':', '') + 'Z';
  return `oplens-${stamp(doc.window.from)}-${stamp(doc.window.to)}`;
}

/** --out is a directory, or a file ending in .json when JSON is the only file format asked for. */
async function writeJson(out: string, base: string, text: string): Promise<string> {
  const { writeOutputFile } = await import('../../display/write-output.js');
  const file = path.extname(out).toLowerCase() === '.json' ? path.resolve(out) : path.resolve(out, `${base}.json`);
  writeOutputFile(file, text, 'JSON document');
  return file;
}
