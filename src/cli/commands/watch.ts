import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { UsageError } from '../../errors.js';
import { follow, type WatchNotice, type WatchTotals } from '../../ingest/watch/follower.js';
import { openStore, storeError } from '../../store/open-store.js';
import { globals } from '../global-options.js';
import { note } from '../terminal.js';

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description('follow log files as they are written: catch up from the checkpoints, then commit new lines within a second')
    .argument('<paths...>', 'files, directories (their *.jsonl, *.ndjson, *.log, *.json and .gz) or quoted globs')
    .option('--format <name>', 'log format, or auto to detect it per file (oplens formats lists them)', 'auto')
    .option('--source <name>', 'label for the events (default: from the line, else the file name)')
    .option('--interval <ms>', 'longest wait before new lines are committed: appends within it share one commit (50..1000)', '250')
    .addHelpText('after', `
Rotation by rename, copytruncate, deleted and re-created files are followed; a half-written line waits for its
newline. SIGINT or SIGTERM commits what was read and exits 0; a second signal exits at once. A restart resumes
from the checkpoints, so nothing is lost or counted twice.

Examples:
  $ oplens watch logs/
  $ oplens --quiet --db /var/lib/oplens/oplens.db watch /var/log/api/ '/var/log/worker/*.jsonl'`)
    .action(async (paths: string[], opts: { format: string; source?: string; interval: string }, cmd: Command) => {
      const g = globals(cmd);
      const intervalMs = parseInterval(opts.interval);
      const config = loadConfig(g.config);
      const stop = new AbortController();
      const onSignal = (sig: keyof typeof SIGNAL_EXIT) => {
        if (stop.signal.aborted) process.exit(SIGNAL_EXIT[sig]);
        stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const status = new StatusLine(g.progress && !g.quiet && !!process.stderr.isTTY);
      const db = openStore(g.db);
      try {
        const totals = await follow({
          db, paths, format: opts.format, source: opts.source, intervalMs, signal: stop.signal,
          formatOptions: { durationUnit: config.ingest.durationUnit },
          batchLines: config.ingest.batchLines, maxLineBytes: config.ingest.maxLineBytes,
          onTick: (t) => status.draw(t),
          onNotice: (n) => {
            const msg = describe(n, paths);
            if (!msg) return;
            status.clear();
            if (msg.error || !g.quiet) process.stderr.write(msg.text + '\n');
          },
        });
        status.clear();
        note(g.quiet, `stopped: ${totals.events.toLocaleString('en-US')} events from ${totals.lines.toLocaleString('en-US')} lines ingested, ${totals.quarantined} quarantined`);
      } catch (e) {
        status.clear();
        throw storeError(e, g.db);
      } finally {
        db.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

function parseInterval(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 50 || n > 1000) {
    throw new UsageError(`--interval: expected whole milliseconds from 50 to 1000, got "${v}"`, 'lines must be committed within a second');
  }
  return n;
}

/** The message for a notice; `error` ones are printed even with --quiet (a service must hear of them). */
function describe(n: WatchNotice, paths: string[]): { text: string; error: boolean } | null {
  switch (n.kind) {
    case 'ready':
      return { text: `watching ${paths.join(' ')}: ${n.files} file${n.files === 1 ? '' : 's'}, catching up from the checkpoints`, error: false };
    case 'caught-up':
      return { text: `caught up: ${n.lines.toLocaleString('en-US')} new lines from ${n.files} file${n.files === 1 ? '' : 's'} in ${(n.ms / 1000).toFixed(1)} s; following`, error: false };
    case 'file-failed':
      return { text: `oplens: ${n.path}: ${n.note}`, error: true };
    case 'behind':
      return { text: `oplens: watch is falling behind: ${mb(n.lagBytes)} written and not read yet, and growing`, error: true };
    case 'recovered':
      return { text: `oplens: watch has caught up again (${mb(n.lagBytes)} behind)`, error: false };
    case 'watch-error':
      return { text: `oplens: watch: ${n.message}`, error: true };
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** One line on a terminal's stderr, redrawn each second: files followed, lines/s, lag. */
class StatusLine {
  private lastLines = 0;
  private lastAt = Date.now();
  private shown = false;

  constructor(private readonly enabled: boolean) {}

  draw(t: WatchTotals): void {
    const now = Date.now();
    const rate = ((t.lines - this.lastLines) * 1000) / Math.max(now - this.lastAt, 1);
    this.lastLines = t.lines;
    this.lastAt = now;
    if (!this.enabled) return;
    this.shown = true;
    process.stderr.write(
      `\rfollowing ${t.files} file${t.files === 1 ? '' : 's'}  ${Math.round(rate).toLocaleString('en-US')} lines/s  ` +
        `lag ${mb(t.lagBytes)}  ${t.lines.toLocaleString('en-US')} lines, ${t.events.toLocaleString('en-US')} events\x1b[K`,
    );
  }

  clear(): void {
    if (!this.shown) return;
    process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}
