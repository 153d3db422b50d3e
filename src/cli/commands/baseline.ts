import { Option, type Command } from 'commander';
import { parseWindow } from '../window-flags.js';
import { formatCount, formatDuration, formatMinute, formatRange } from '../../display/format-units.js';
import { globals } from '../global-options.js';
import { jsonOption, printJson } from '../json-output.js';
import { note } from '../terminal.js';

interface SaveFlags {
  days?: string;
  hours?: string;
  since?: string;
  until?: string;
  now?: string;
  force: boolean;
}

export function registerBaseline(program: Command): void {
  const baseline = program
    .command('baseline')
    .description('save, list and remove named baselines to compare later windows with')
    .addHelpText('after', `
Examples:
  $ oplens baseline save before-release --days 7
  $ oplens baseline list
  $ oplens analyze --days 1 --baseline before-release`);
  baseline
    .command('save')
    .description("store a window's KPIs (overall, per operation, per source) under NAME")
    .argument('<name>', 'baseline name, e.g. before-release-42')
    .option('--days <n>', 'window length in days (default 7)')
    .option('--hours <n>', 'window length in hours')
    .option('--since <time>', 'window start: ISO-8601 or an age such as 7d (inclusive)')
    .option('--until <time>', 'window end: ISO-8601 or an age (exclusive; default now)')
    .option('--now <time>', 'pin "now" (ISO-8601)')
    .option('--force', 'replace a baseline of the same name', false)
    .addHelpText('after', `
Examples:
  $ oplens baseline save before-release --days 7
  $ oplens analyze --hours 24 --baseline before-release`)
    .action(async (name: string, flags: SaveFlags, cmd: Command) => {
      const [{ saveBaseline }, { openStore }] = await Promise.all([import('../../analysis/baseline.js'), import('../open-db.js')]);
      const g = globals(cmd);
      const w = parseWindow(flags);
      const store = await openStore(g.db);
      try {
        const doc = saveBaseline(store, name, w, { force: flags.force });
        note(g.quiet, `saved baseline "${name}": ${formatRange(w.fromMs, w.toMs)}, ${formatCount(doc.overall.count)} events, p95 ${formatDuration(doc.overall.p95)}, ${doc.operations.length} operations`);
      } finally {
        await store.close();
      }
    });
  baseline
    .command('list')
    .description('list saved baselines')
    .addOption(jsonOption('the baselines'))
    .addOption(new Option('--format <format>', 'output format (--json is the same as --format json)').choices(['text', 'json']).default('text'))
    .action(async (flags: { format: string; json?: boolean }, cmd: Command) => {
      const { openStore } = await import('../open-db.js');
      const store = await openStore(globals(cmd).db, { readonly: true });
      try {
        const rows = store.baselines.list();
        if (flags.json || flags.format === 'json') {
          printJson(rows);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write('no baselines (oplens baseline save NAME)\n');
          return;
        }
        const width = Math.max(...rows.map((r) => r.name.length));
        for (const r of rows) {
          process.stdout.write(`${r.name.padEnd(width)}  ${formatRange(r.windowFrom, r.windowTo)}  saved ${formatMinute(r.createdAt)}\n`);
        }
      } finally {
        await store.close();
      }
    });
  baseline
    .command('rm')
    .description('remove a saved baseline')
    .argument('<name>', 'baseline name')
    .action(async (name: string, _flags: unknown, cmd: Command) => {
      const [{ removeBaseline }, { openStore }] = await Promise.all([import('../../analysis/baseline.js'), import('../open-db.js')]);
      const g = globals(cmd);
      const store = await openStore(g.db);
      try {
        removeBaseline(store, name);
        note(g.quiet, `removed baseline "${name}"`);
      } finally {
        await store.close();
      }
    });
}
