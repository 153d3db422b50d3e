import type { Command } from 'commander';
import { parseRelative, parseWindow } from '../window-flags.js';
import { DAY_MS } from '../../core/time.js';
import { UsageError } from '../../errors.js';
import { formatCount, formatMinute } from '../../display/format-units.js';
import { globals } from '../global-options.js';
import { jsonOption, printJson } from '../json-output.js';
import { note } from '../terminal.js';

export function registerPrune(program: Command): void {
  program
    .command('prune')
    .description('delete raw events older than the retention; rollups stay, so old windows keep their totals and percentiles')
    .option('--older-than <age>', 'age such as 30d, 36h (default: retentionDays from the config)')
    .option('--now <time>', 'pin "now" (ISO-8601)')
    .option('--vacuum', 'give the freed space back to the file system (slow on a large store)', false)
    .addOption(jsonOption('what was pruned ({deleted, prunedBefore})'))
    .addHelpText('after', `
Raw events feed exact percentiles (--exact), the partial hours at a window's edges, the concurrency table and the
slowest examples. After a prune, analyses of older windows use the hourly rollups and say so.

Examples:
  $ oplens prune
  $ oplens prune --older-than 14d --vacuum`)
    .action(async (flags: { olderThan?: string; now?: string; vacuum: boolean; json?: boolean }, cmd: Command) => {
      const [{ loadConfig }, { openStore }] = await Promise.all([import('../../config/load-config.js'), import('../open-db.js')]);
      const g = globals(cmd);
      const config = loadConfig(g.config);
      const { nowMs } = parseWindow({ now: flags.now });
      let age = config.retentionDays * DAY_MS;
      if (flags.olderThan !== undefined) {
        const rel = parseRelative(flags.olderThan);
        if (rel === null) throw new UsageError(`--older-than: expected an age such as 30d or 36h, got "${flags.olderThan}"`);
        age = rel;
      }
      const store = await openStore(g.db);
      try {
        const r = store.pruneRawEvents(nowMs - age);
        if (flags.vacuum) store.compact();
        if (flags.json) printJson({ deleted: r.deleted, prunedBefore: new Date(r.prunedBefore).toISOString() });
        note(g.quiet, `pruned ${formatCount(r.deleted)} raw events; raw events are kept from ${formatMinute(r.prunedBefore)} on`);
      } finally {
        await store.close();
      }
    });
}
