import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { parseRelative } from './window-flags.js';
import { UsageError } from '../errors.js';

import { isReportFormat, type ReportFormat } from '../report/report-formats.js';

export type LiveFormat = ReportFormat;

export interface LiveReportOptions {
  everyMs: number;
  /** How far back the report looks, as an age (`7d`, `24h`). */
  window: string;
  /** The one file kept current; its extension gives the format. */
  out: string;
  format: LiveFormat;
  db: string;
  config?: string;
  onError: (message: string) => void;
}

/**
 * Checks the --report-* flags of watch before anything starts. The report is one file refreshed in place, so
 * --out must name a file; its extension gives the format, and a --format html|md must agree with it.
 */
export function liveReportFlags(f: { every: string; window: string; out?: string; format?: LiveFormat }): Pick<LiveReportOptions, 'everyMs' | 'window' | 'out' | 'format'> {
  const everyMs = parseRelative(f.every);
  if (everyMs === null || everyMs < 1000) throw new UsageError(`--report-every: expected an interval such as 1h, 15m or 30s (at least 1s), got "${f.every}"`);
  if (parseRelative(f.window) === null) throw new UsageError(`--report-window: expected an age such as 24h or 7d, got "${f.window}"`);
  const out = f.out ?? path.join('reports', `live.${f.format ?? 'html'}`);
  const ext = path.extname(out).toLowerCase().slice(1);
  const format = ext === 'htm' ? 'html' : ext === 'markdown' ? 'md' : ext;
  if (!isReportFormat(format)) throw new UsageError(`--out ${out}: expected a file ending in .html or .md`, 'the live report is one file, rewritten in place');
  if (f.format && f.format !== format) throw new UsageError(`--format ${f.format} does not match --out ${out}`, `name a .${f.format} file, or leave --format out`);
  return { everyMs, window: f.window, out, format };
}

/**
 * Keeps a report file current while watch runs, by running `oplens analyze` on the same database every
 * `everyMs`. A child process reads its own snapshot, so a long analysis never holds up the tail, and analyze
 * writes the file through a temporary file and a rename, so a reader never sees half a report.
 */
export class LiveReport {
  private timer?: NodeJS.Timeout;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private lastError?: string;

  constructor(private readonly o: LiveReportOptions) {}

  start(): void {
    if (this.timer) return;
    this.run();
    this.timer = setInterval(() => this.run(), this.o.everyMs);
  }

  /** Lets a report being written finish: killing it could leave its temporary file behind. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.exited;
  }

  private run(): void {
    if (this.child) return; // the last one is still running: skip this turn rather than pile up
    const o = this.o;
    const args = [
      process.argv[1], '--db', o.db, ...(o.config ? ['--config', o.config] : []), '--quiet',
      'analyze', '--since', o.window, '--format', o.format, '--out', o.out,
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.on('error', (e) => (err ||= e.message));
    this.exited = new Promise((resolve) => {
      child.on('close', (code) => {
        this.child = null;
        const message = code === 0 ? undefined : err.split('\n')[0].replace(/^oplens: /, '') || `analyze exited with ${code}`;
        // Said once until it changes: an empty window is reported once, not every hour.
        if (message && message !== this.lastError) o.onError(`live report ${o.out} not written: ${message}`);
        this.lastError = message;
        resolve();
      });
    });
  }
}
