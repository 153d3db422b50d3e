import os from 'node:os';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { DEFAULT_BATCH_EVENTS } from '../../ship/batch-size.js';
import { isClickHouseUrl } from '../../store/clickhouse/target.js';
import { globals } from '../global-options.js';
import { jsonOption, printJson } from '../json-output.js';
import { note } from '../terminal.js';

interface ShipFlags {
  to: string;
  source?: string;
  batchEvents: string;
  json?: boolean;
}

export function registerShip(program: Command): void {
  program
    .command('ship')
    .description('send everything committed in the local database and not yet shipped to a ClickHouse fleet store, then exit')
    .requiredOption('--to <url>', 'clickhouse://[USER@]HOST[:PORT]/DATABASE[?cluster=NAME] (clickhouses:// or https:// for TLS)')
    .option('--source <name>', "this host's name in the fleet (default: the host name)")
    .option('--batch-events <n>', 'events per batch', String(DEFAULT_BATCH_EVENTS))
    .addOption(jsonOption('the summary (events and batches shipped, where to, as which source)'))
    .addHelpText('after', `
Shipping is idempotent: a kill, a repeat or an outage neither loses nor doubles an event; run it again to resume.
Credentials: in the URL, or OPLENS_CLICKHOUSE_USER and OPLENS_CLICKHOUSE_PASSWORD.

Examples:
  $ oplens ingest logs/ && oplens ship --to clickhouse://ch.internal:8123/oplens
  $ oplens ship --to 'clickhouses://ch.internal:8443/oplens?cluster=logs' --source api-3`)
    .action(async (flags: ShipFlags, cmd: Command) => {
      const [{ shipStore, rollupsOnlyNotice }, { FleetConnection }, { openIngestStore }] = await Promise.all([
        import('../../ship/ship.js'), import('../../store/clickhouse/connection.js'), import('../open-db.js'),
      ]);
      const g = globals(cmd);
      if (!isClickHouseUrl(flags.to)) throw new UsageError(`--to: expected a clickhouse:// URL, got "${flags.to.replace(/\/\/[^/@]*@/, '//')}"`);
      const batchEvents = Number(flags.batchEvents);
      if (!Number.isInteger(batchEvents) || batchEvents < 1) throw new UsageError(`--batch-events: expected a positive integer, got "${flags.batchEvents}"`);
      const source = shipSource(flags.source);
      const local = await openIngestStore(g.db);
      try {
        const conn = await FleetConnection.open(flags.to, { create: true });
        try {
          const r = await shipStore(local, conn, {
            source, batchEvents,
            onBatch: (p) => { if (g.verbose) note(false, `batch ${p.batch}: ${p.shipped.toLocaleString('en-US')} events shipped, ${p.pending().toLocaleString('en-US')} waiting`); },
          });
          const adopted = r.adopted ? `, ${r.adopted} batch${r.adopted === 1 ? '' : 'es'} confirmed from an earlier run` : '';
          if (flags.json) {
            printJson({ target: conn.target.display, source, events: r.events, batches: r.batches, quarantined: r.quarantined, adopted: r.adopted, rollupsOnly: r.rollupsOnly });
          } else note(g.quiet, `shipped ${r.events.toLocaleString('en-US')} events in ${r.batches} batch${r.batches === 1 ? '' : 'es'} to ${conn.target.display} as source "${source}"${adopted}`);
          if (r.rollupsOnly) process.stderr.write(`${rollupsOnlyNotice(r.rollupsOnly)}\n`);
        } finally {
          await conn.close();
        }
      } finally {
        await local.close();
      }
    });
}

/** --source, else the host name; the same rules as a log's own source label. */
export function shipSource(flag: string | undefined): string {
  const s = (flag ?? os.hostname()).trim();
  if (!s) throw new UsageError('--source: expected a name, got an empty string');
  return s;
}
