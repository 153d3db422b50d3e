import { Option, type Command } from 'commander';
import { formatBytes, formatCountOf } from '../../display/format-units.js';
import { printable } from '../../display/printable.js';
import { UsageError } from '../../errors.js';
import type { WatchNotice, WatchTotals } from '../../pipeline/watch/follower.js';
import { isClickHouseUrl, redact } from '../../store/clickhouse/target.js';
import { globals } from '../global-options.js';
import { isReportFormat } from '../../report/report-formats.js';
import type { LiveFormat, LiveReport } from '../live-report.js';
import { logFormatOption, resolveLogFormat } from '../log-format-flag.js';
import { note } from '../terminal.js';
import { shipSource } from './ship.js';

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description('follow log files as they are written: catch up from the checkpoints, then commit new lines within a second')
    .argument('<paths...>', 'files, directories (their *.jsonl, *.ndjson, *.log, *.json and .gz) or quoted globs')
    .addOption(logFormatOption())
    .addOption(new Option('--format <format>', "the live report's format, html or md").argParser(collect).default([], 'from --out'))
    .option('--source <name>', 'label for the events (default: from the line, else the file name)')
    .option('--interval <ms>', 'longest wait before new lines are committed: appends within it share one commit (50..1000)', '100')
    .option('--report-every <interval>', 'also rewrite a report every interval (1h, 15m, 30s), from `oplens analyze`')
    .option('--report-window <age>', 'how far back the live report looks', '7d')
    .option('--out <file>', 'the live report file, .html or .md (default reports/live.html)')
    .option('--ship <url>', 'also ship what is committed to a ClickHouse fleet store (as `oplens ship --to URL`)')
    .option('--ship-source <name>', "this host's name in the fleet (default: the host name)")
    .addHelpText('after', `
Rotation by rename, copytruncate, deleted and re-created files are followed; a half-written line waits for its
newline. A directory is followed for the files ingest reads there and for their rotations (app.jsonl.1,
app.jsonl.2.gz, app.log-20261120). SIGINT or SIGTERM commits what was read and exits 0; a second signal exits
at once. A restart resumes from the checkpoints, so nothing is lost or counted twice.

Examples:
  $ oplens watch logs/
  $ oplens --quiet --db /var/lib/oplens/oplens.db watch /var/log/api/ '/var/log/worker/*.jsonl'
  $ oplens watch logs/ --report-every 1h --format html --out reports/live.html
  $ oplens watch /var/log/api/ --ship clickhouse://ch.internal:8123/oplens
  $ oplens watch /var/log/caddy/ --log-format caddy`)
    .action(async (paths: string[], opts: WatchFlags, cmd: Command) => {
      (await import('../../pipeline/small-heaps.js')).keepHeapsSmall();
      const [{ loadConfig }, { follow }, { openIngestStore }, { configReadOptions }] = await Promise.all([
        import('../../config/load-config.js'), import('../../pipeline/watch/follower.js'), import('../open-db.js'), import('../read-options.js'),
      ]);
      const g = globals(cmd);
      const intervalMs = parseInterval(opts.interval);
      const { legacyLogFormat, reportFormat } = splitFormats(opts.format);
      const logFormat = resolveLogFormat(opts.logFormat, legacyLogFormat, (m) => process.stderr.write(m + '\n'));
      const config = loadConfig(g.config);
      let report: LiveReport | undefined;
      if (opts.reportEvery !== undefined) {
        const { LiveReport, liveReportFlags } = await import('../live-report.js');
        const r = liveReportFlags({ every: opts.reportEvery, window: opts.reportWindow, out: opts.out, format: reportFormat });
        report = new LiveReport({ ...r, db: g.db, config: g.config, onError: (m) => process.stderr.write(`oplens: ${printable(m)}\n`) });
      } else if (reportFormat || opts.out) {
        throw new UsageError(`${reportFormat ? `--format ${reportFormat}` : '--out'} is for the live report`, 'add --report-every 1h (or another interval)');
      }
      if (opts.ship !== undefined && !isClickHouseUrl(opts.ship)) throw new UsageError(`--ship: expected a clickhouse:// URL, got "${redact(opts.ship)}"`);
      const store = await openIngestStore(g.db);
      const shipper = opts.ship === undefined ? undefined : new (await import('../../ship/live-ship.js')).LiveShipper({
        local: store, url: opts.ship, source: shipSource(opts.shipSource), everyMs: SHIP_EVERY_MS, warnBehind: SHIP_WARN_BEHIND,
        onMessage: (text, always) => { if (always || !g.quiet) process.stderr.write(text + '\n'); },
      });
      shipper?.start();
      const stop = new AbortController();
      const onSignal = (sig: keyof typeof SIGNAL_EXIT) => {
        if (stop.signal.aborted) process.exit(SIGNAL_EXIT[sig]);
        stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const status = new StatusLine(g.progress && !g.quiet && !!process.stderr.isTTY);
      try {
        const totals = await follow({
          store, paths, format: logFormat, source: opts.source, intervalMs, signal: stop.signal, ...configReadOptions(config),
          onTick: (t) => status.draw(t),
          onNotice: (n) => {
            // The first report waits for the catch-up, so that it does not show a half-read backlog.
            if (n.kind === 'caught-up') report?.start();
            const msg = describe(n, paths);
            status.clear();
            if (msg.error || !g.quiet) process.stderr.write(printable(msg.text, '\n') + '\n');
          },
        });
        status.clear();
        note(g.quiet, `stopped: ${formatCountOf(totals.events, 'event')} from ${formatCountOf(totals.lines, 'line')} ingested, ${totals.quarantined} quarantined`);
      } catch (e) {
        status.clear();
        throw e;
      } finally {
        await report?.stop();
        await shipper?.stop();
        await store.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

interface WatchFlags {
  logFormat: string;
  format: string[];
  source?: string;
  interval: string;
  reportEvery?: string;
  reportWindow: string;
  out?: string;
  ship?: string;
  shipSource?: string;
}

/** watch --ship: a pass every 5 s once caught up; a warning past a million events waiting. */
const SHIP_EVERY_MS = 5_000;
const SHIP_WARN_BEHIND = 1_000_000;

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

/**
 * --format is the live report's, html or md. It used to take the log format too (no log format is called html
 * or md), so another name is still taken as one, with a deprecation note.
 */
function splitFormats(list: string[]): { legacyLogFormat?: string; reportFormat?: LiveFormat } {
  const reports = [...new Set(list.filter(isReportFormat))];
  const logs = [...new Set(list.filter((f) => !isReportFormat(f)))];
  if (reports.length > 1) throw new UsageError('--format: the live report is one file, in html or md, not both');
  if (logs.length > 1) throw new UsageError(`--format: expected html or md, got ${logs.join(', ')}`, 'the log format is --log-format NAME');
  return { legacyLogFormat: logs[0], reportFormat: reports[0] };
}

function parseInterval(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 50 || n > 1000) {
    throw new UsageError(`--interval: expected whole milliseconds from 50 to 1000, got "${v}"`, 'lines must be committed within a second');
  }
  return n;
}

/** The message for a notice; `error` ones are printed even with --quiet (a service must hear of them). */
function describe(n: WatchNotice, paths: string[]): { text: string; error: boolean } {
  switch (n.kind) {
    case 'ready':
      return { text: `watching ${paths.join(' ')}: ${formatCountOf(n.files, 'file')}, catching up from the checkpoints`, error: false };
    case 'caught-up':
      return { text: `caught up: ${formatCountOf(n.lines, 'new line')} from ${formatCountOf(n.files, 'file')} in ${(n.ms / 1000).toFixed(1)} s; following`, error: false };
    case 'file-failed':
      return { text: `oplens: ${n.path}: ${n.note}`, error: true };
    case 'behind':
      return { text: `oplens: watch is falling behind: ${formatBytes(n.lagBytes)} written and not read yet, and growing`, error: true };
    case 'recovered':
      return { text: `oplens: watch has caught up again (${formatBytes(n.lagBytes)} behind)`, error: false };
    case 'polling':
      return {
        text: `oplens: watch: the system's inotify watch limit${n.limit === null ? '' : ` (fs.inotify.max_user_watches = ${n.limit.toLocaleString('en-US')})`} ` +
          'is reached: files and directories that could not be watched are polled once a second instead (new files are still found). ' +
          'To watch them all, raise the limit: sudo sysctl fs.inotify.max_user_watches=524288 ' +
          '(and put fs.inotify.max_user_watches=524288 in /etc/sysctl.d/90-inotify.conf to keep it after a reboot)',
        error: true,
      };
    case 'watch-error':
      return { text: `oplens: watch: ${n.message}`, error: true };
  }
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
      `\rfollowing ${formatCountOf(t.files, 'file')}  ${Math.round(rate).toLocaleString('en-US')} lines/s  ` +
        `lag ${formatBytes(t.lagBytes)}  ${formatCountOf(t.lines, 'line')}, ${formatCountOf(t.events, 'event')}\x1b[K`,
    );
  }

  clear(): void {
    if (!this.shown) return;
    process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}
