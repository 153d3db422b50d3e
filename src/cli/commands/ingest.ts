import { Option, type Command } from 'commander';
import { InputError } from '../../errors.js';
import { formatBytes, formatCountOf, formatDuration } from '../../display/format-units.js';
import type { IngestSummary } from '../../pipeline/ingest.js';
import { toIngestResult } from '../../pipeline/to-ingest-result.js';
import { globals } from '../global-options.js';
import { jsonOption, printJson } from '../json-output.js';
import { logFormatOption, resolveLogFormat } from '../log-format-flag.js';
import { Progress } from '../progress.js';
import { note } from '../terminal.js';
import { printable } from '../../display/printable.js';

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('read log files, directories, globs or stdin (-) into the database; re-running reads only what is new')
    .argument('<paths...>', 'files, directories (searched for *.jsonl, *.ndjson, *.log, *.json and .gz), globs, or - for stdin')
    .addOption(logFormatOption())
    .addOption(new Option('--format <name>', 'the older spelling of --log-format').hideHelp())
    .addOption(jsonOption('the summary (totals and one entry per file)'))
    .option('--source <name>', 'label for the events (default: from the line, else the file name)')
    .option('--reread', 'read the named files again from their start (after adding a "fields" mapping for a log that gave no events)')
    .addHelpText('after', `
Examples:
  $ oplens ingest logs/
  $ oplens ingest --reread logs/app.log      # after mapping its fields in oplens.config.json
  $ oplens ingest 'logs/**/*.jsonl.gz' --source api
  $ kubectl logs deploy/api | oplens ingest - --source api`)
    .action(async (paths: string[], opts: IngestFlags, cmd: Command) => {
      (await import('../../pipeline/small-heaps.js')).keepHeapsSmall();
      const [{ loadConfig }, { ingest }, { openIngestStore }, { configReadOptions }, { expandPaths }] = await Promise.all([
        import('../../config/load-config.js'), import('../../pipeline/ingest.js'), import('../open-db.js'), import('../read-options.js'),
        import('../../ingest/expand-paths.js'),
      ]);
      const g = globals(cmd);
      const format = resolveLogFormat(opts.logFormat, opts.format, (m) => process.stderr.write(m + '\n'));
      const config = loadConfig(g.config);
      const inputs = expandPaths(paths); // before the database exists: a bad path leaves no empty database behind
      const store = await openIngestStore(g.db);
      try {
        const progress = new Progress(g.progress && !g.quiet);
        const summary = await ingest({
          store, paths, inputs, format, source: opts.source, reread: opts.reread, ...configReadOptions(config),
          listFiles: !!opts.json,
          onTotal: (b) => progress.setTotal(b),
          onProgress: (b, l) => progress.add(b, l),
          onFile: (f) => {
            if (f.status === 'failed') process.stderr.write(`oplens: ${printable(`${f.path}: ${f.note}`)}\n${f.hint ? `  hint: ${f.hint}\n` : ''}`);
            else if (f.status === 'skipped') note(g.quiet, `${f.path}: skipped, ${f.note}`);
            else if (g.verbose) note(false, `${f.path}: ${f.status}${f.format ? ` (${f.format})` : ''}${f.note ? `: ${f.note}` : ''}`);
          },
        });
        progress.done();
        if (opts.json) printJson(toIngestResult(summary));
        else note(g.quiet, summarize(summary));
        const { failed } = summary.statuses;
        if (failed > 0 && failed === Object.values(summary.statuses).reduce((n, k) => n + k, 0)) {
          throw new InputError('no file could be read', 'see the messages above');
        }
        if (failed > 0) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}

interface IngestFlags {
  logFormat: string;
  /** The older spelling of --log-format. */
  format?: string;
  source?: string;
  json?: boolean;
  reread?: boolean;
}

function summarize(s: IngestSummary): string {
  const { read, unchanged, yielded, gone } = s.statuses;
  const parts = [
    `ingested ${formatCountOf(s.events, 'event')} from ${formatCountOf(read, 'file')}`,
    formatCountOf(s.lines, 'line'),
    formatBytes(s.bytes),
    `${s.quarantined} quarantined`,
  ];
  if (s.ignored) parts.push(`${s.ignored} not operations`);
  if (s.unfinished) parts.push(`${s.unfinished} unfinished (a start line and no finish within ${formatDuration(s.joinTimeoutMs)})`);
  if (s.pending) parts.push(`${s.pending} request${s.pending === 1 ? '' : 's'} waiting for ${s.pending === 1 ? 'its' : 'their'} finish line (kept for the next run)`);
  if (unchanged) parts.push(`${unchanged} unchanged`);
  if (yielded) parts.push(`${yielded} left to another oplens process`);
  if (gone) parts.push(`${gone} removed before ${gone === 1 ? 'it was' : 'they were'} read (rotated away)`);
  const held = s.heldBack;
  if (held.files) {
    parts.push(`${held.files === 1 ? 'a last line' : `${held.files} last lines`} without a newline held back (${held.bytes} bytes) until complete`);
  }
  if (s.formats.length) parts.push(`format ${s.formats.join(', ')}`);
  return parts.join(', ');
}
