import { printable } from '../../display/printable.js';
import type { Command } from 'commander';
import { formatBytes, formatCount, formatCountOf, formatMinute } from '../../display/format-units.js';
import { globals } from '../global-options.js';
import { jsonOption, printJson } from '../json-output.js';
import { Option } from 'commander';
import { EXIT } from '../../errors.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show the database: size, time range, sources, events, quarantined lines and file checkpoints')
    .addOption(jsonOption('the status'))
    .addOption(new Option('--format <format>', 'output format (--json is the same as --format json)').choices(['text', 'json']).default('text'))
    .option('--check', `check every page of the database (SQLite's integrity_check) and every raw-event chunk; on a fleet store the schema, ClickHouse's table checks and every shipped batch against its ledger; exit ${EXIT.damagedStore} when damaged`)
    .addHelpText('after', `
Examples:
  $ oplens status
  $ oplens status --json | jq .events
  $ oplens status --check || echo "the store is damaged"`)
    .action(async (opts: { format: string; json?: boolean; check?: boolean }, cmd: Command) => {
      const { openStatusStore } = await import('../open-db.js');
      const g = globals(cmd);
      const json = opts.json || opts.format === 'json';
      const store = await openStatusStore(g.db);
      try {
        // Checked before anything else is read: the rest of the status may not be readable from a damaged store.
        const integrity = opts.check ? store.checkIntegrity() : undefined;
        if (integrity && !integrity.ok) {
          process.exitCode = EXIT.damagedStore;
          if (json) {
            printJson({ integrity });
          } else {
            const lines = [
              `integrity  DAMAGED: ${g.db}`, ...integrity.pages.map((p) => `  page check: ${p}`), ...integrity.chunks.map((c) => `  ${c.message}`),
              ...(integrity.problems ?? []).map((p) => `  ${p}`),
            ];
            process.stdout.write(printable(lines.join('\n'), '\n') + '\n');
            process.stderr.write(`  hint: ${printable(integrity.hint ?? '')}\n`);
          }
          return;
        }
        const s = { ...store.status(), ...(integrity && { integrity }) };
        if (json) {
          printJson(s);
          return;
        }
        const out = [
          `database   ${s.db.path} (${formatBytes(s.db.bytes)}, schema ${s.db.schemaVersion})`,
          `events     ${formatCount(s.events)} (${formatCount(s.rawEvents)} raw retained)`,
          `range      ${s.range ? `${formatMinute(s.range.from)} .. ${formatMinute(s.range.to)}` : 'empty'}`,
          `operations ${s.operations}`,
          `sources    ${s.sources.map((x) => `${x.name} (${x.events})`).join(', ') || 'none'}`,
          `quarantine ${s.quarantined}${s.quarantineReasons.length ? ` (${s.quarantineReasons.map((r) => `${r.reason}: ${r.count}`).join(', ')})` : ''}`,
          ...(s.integrity ? [`integrity  ok (${s.integrity.checked ?? 'every page and raw-event chunk checked'})`] : []),
          ...(s.shipped
            ? [`shipped    ${s.shipped.length} host${s.shipped.length === 1 ? '' : 's'}`,
              ...s.shipped.map((h) => `  ${h.source}  ${formatCountOf(h.events, 'event')} in ${formatCountOf(h.batches, 'batch', 'batches')}, last ${formatMinute(h.lastShippedAt)}`)]
            : [`files      ${s.files.length}`]),
          ...s.files.map((f) => `  ${f.path}  ${f.format ?? '?'}  line ${f.lineNo}, byte ${f.offset}${f.gzip ? ' (decompressed)' : ''}, ${formatCountOf(f.events, 'event')}, ${f.quarantined} quarantined`),
        ];
        process.stdout.write(printable(out.join('\n'), '\n') + '\n');
      } finally {
        await store.close();
      }
    });
}
