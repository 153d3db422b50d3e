import fs from 'node:fs';
import { watch, type FSWatcher } from 'chokidar';
import { ingestFile, type FileResult, type FileSettings } from '../ingest-file.js';
import { fileSettings, type ReadOptions } from '../ingest.js';
import { LagMonitor } from './lag-monitor.js';
import { isGzipPath, syncFollowed, type FollowedFile } from './sync-followed.js';
import { WatchTargets } from './watch-targets.js';

export interface FollowOptions extends ReadOptions {
  /** Longest time new lines wait, so that many small appends are read and committed together. */
  intervalMs: number;
  /** Aborting it stops watch: the read in progress commits what it read, then `follow` resolves. */
  signal: AbortSignal;
  onNotice?: (n: WatchNotice) => void;
  /** Called once a second. */
  onTick?: (t: WatchTotals) => void;
}

export type WatchNotice =
  | { kind: 'ready'; files: number }
  | { kind: 'caught-up'; files: number; lines: number; ms: number }
  | { kind: 'file-failed'; path: string; note: string }
  | { kind: 'behind' | 'recovered'; lagBytes: number }
  | { kind: 'watch-error'; message: string }
  /** The system's inotify watch limit was reached: what could not be watched is polled from then on. */
  | { kind: 'polling'; limit: number | null };

export interface WatchTotals {
  files: number;
  lines: number;
  events: number;
  quarantined: number;
  /** Bytes written to followed files and not read yet. */
  lagBytes: number;
}

/** A compressed file is read once whole: wait until it has stopped changing (it may still be being written). */
const GZIP_SETTLE_MS = 1000;
const TICK_MS = 1000;

type Entry = FollowedFile & { state: 'idle' | 'scheduled' | 'queued' | 'reading'; dirty: boolean; lastReadAt: number; timer?: NodeJS.Timeout };

/**
 * Follows files with chokidar: catches up from the checkpoints, then reads each file when it changes. Events
 * are coalesced per file, one file is read at a time (so at most one read per file is in flight), and a file
 * is read again no sooner than `intervalMs` after its last read began. A stat of every followed file once a
 * second backs up missed events and measures the lag.
 */
export async function follow(o: FollowOptions): Promise<WatchTotals> {
  const targets = new WatchTargets(o.paths);
  const run = fileSettings(o);
  try {
    return await new Follower(o, targets, { ...run.settings, commitEveryMs: o.intervalMs, signal: o.signal }).run();
  } finally {
    await run.close();
  }
}

class Follower {
  private readonly files = new Map<string, Entry>();
  private readonly queue: Entry[] = [];
  private readonly initial = new Set<string>();
  private readonly failed = new Map<string, string>();
  private readonly lag = new LagMonitor();
  private readonly totals: WatchTotals = { files: 0, lines: 0, events: 0, quarantined: 0, lagBytes: 0 };
  private readonly started = Date.now();
  private watcher?: FSWatcher;
  private ticker?: NodeJS.Timeout;
  private working: Promise<void> | null = null;
  private ready = false;
  private polling = false;
  private caughtUp = false;
  private stopping = false;
  private error: unknown;
  private done!: () => void;

  constructor(
    private readonly o: FollowOptions,
    private readonly targets: WatchTargets,
    private readonly s: FileSettings,
  ) {}

  run(): Promise<WatchTotals> {
    const finished = new Promise<void>((resolve) => (this.done = resolve));
    if (this.o.signal.aborted) return Promise.resolve(this.totals);
    this.o.signal.addEventListener('abort', () => void this.stop(), { once: true });
    const w = watch(this.targets.roots(), { ignored: (p, st) => this.targets.ignores(p, st), ignoreInitial: false, persistent: true });
    this.watcher = w;
    w.on('add', (p) => {
      if (!this.targets.accepts(p)) return;
      if (!this.ready) this.initial.add(p);
      this.touch(p);
    });
    w.on('change', (p) => this.targets.accepts(p) && this.touch(p));
    // The read that follows finds the path gone (or replaced) and reads what the old file still held.
    w.on('unlink', (p) => this.files.has(p) && this.touch(p));
    w.on('ready', () => {
      this.ready = true;
      this.o.onNotice?.({ kind: 'ready', files: this.files.size });
      this.checkCaughtUp();
    });
    w.on('error', (e) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOSPC') this.startPolling();
      else this.o.onNotice?.({ kind: 'watch-error', message: (e as Error).message ?? String(e) });
    });
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    return finished.then(() => {
      if (this.error !== undefined) throw this.error;
      return { ...this.totals, files: this.files.size };
    });
  }

  /** Something happened at `p`: read it soon, unless a read is already due. */
  private touch(p: string): void {
    if (this.stopping) return;
    let f = this.files.get(p);
    if (!f) {
      f = { path: p, gzip: isGzipPath(p), offset: 0, size: -1, mtimeMs: 0, state: 'idle', dirty: false, lastReadAt: 0 };
      this.files.set(p, f);
    }
    if (f.state === 'queued') return;
    if (f.state === 'reading') {
      f.dirty = true;
      return;
    }
    if (f.state === 'scheduled') {
      if (!f.gzip) return;
      clearTimeout(f.timer);
    }
    const wait = f.gzip ? GZIP_SETTLE_MS : Math.max(0, f.lastReadAt + this.o.intervalMs - Date.now());
    const entry = f;
    entry.state = 'scheduled';
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      entry.state = 'queued';
      this.queue.push(entry);
      this.kick();
    }, wait);
  }

  private kick(): void {
    if (this.working || this.stopping) return;
    this.working = this.work().finally(() => {
      this.working = null;
      if (this.queue.length) this.kick();
    });
  }

  private async work(): Promise<void> {
    try {
      for (let f = this.queue.shift(); f && !this.stopping; f = this.queue.shift()) {
        f.state = 'reading';
        f.dirty = false;
        f.lastReadAt = Date.now();
        const exists = await syncFollowed(f, this.s, this.read);
        f.state = 'idle';
        if (!exists && this.files.get(f.path) === f) this.files.delete(f.path);
        // Changed while it was being read (or re-created after it vanished): read it again.
        if (f.dirty) this.touch(f.path);
        this.initial.delete(f.path);
        this.checkCaughtUp();
      }
    } catch (e) {
      this.error = e;
      void this.stop();
    }
  }

  private readonly read = async (filePath: string): Promise<FileResult> => {
    if (this.o.signal.aborted) return { path: filePath, status: 'unchanged' };
    const r = await ingestFile(filePath, this.s);
    // Committed lines only: those another process took meanwhile (the read yielded them) are not this one's.
    this.totals.lines += r.lines ?? 0;
    this.totals.events += r.events ?? 0;
    this.totals.quarantined += r.quarantined ?? 0;
    if (r.status !== 'failed') this.failed.delete(filePath);
    else if (this.failed.get(filePath) !== r.note) {
      // Said once per file and reason: a file that stays unreadable is not reported every second.
      this.failed.set(filePath, r.note ?? 'failed');
      this.o.onNotice?.({ kind: 'file-failed', path: filePath, note: r.note ?? 'failed' });
    }
    return r;
  };

  private checkCaughtUp(): void {
    if (!this.ready || this.caughtUp || this.initial.size > 0) return;
    this.caughtUp = true;
    this.o.onNotice?.({ kind: 'caught-up', files: this.files.size, lines: this.totals.lines, ms: Date.now() - this.started });
  }

  /**
   * Out of inotify watches, chokidar reports ENOSPC for each file and directory it could not watch and never
   * hears of what is created in such a directory. The once-a-second stat already catches changes to known files;
   * from now on each tick also lists the targets, so new files are found too. Said once.
   */
  private startPolling(): void {
    if (this.polling) return;
    this.polling = true;
    this.o.onNotice?.({ kind: 'polling', limit: inotifyWatchLimit() });
  }

  /** Once a second: stat every followed file, read those whose change went unnoticed, measure the lag. */
  private tick(): void {
    if (this.polling) {
      for (const p of this.targets.scan()) if (!this.files.has(p)) this.touch(p);
    }
    let lag = 0;
    for (const f of this.files.values()) {
      let st: fs.Stats | null = null;
      try {
        st = fs.statSync(f.path);
      } catch {
        /* gone: the read below forgets it */
      }
      const changed = !st || st.ino !== f.ino || st.dev !== f.dev || st.size !== f.size || st.mtimeMs !== f.mtimeMs;
      if (changed && f.state === 'idle') this.touch(f.path);
      if (st && !f.gzip && f.ino !== undefined) lag += st.ino === f.ino ? Math.max(0, st.size - f.offset) : st.size;
    }
    this.totals.lagBytes = lag;
    const change = this.lag.update(lag);
    if (change) this.o.onNotice?.({ kind: change, lagBytes: lag });
    this.o.onTick?.({ ...this.totals, files: this.files.size });
  }

  /** Stops reading: the read in progress commits what it has read; then the watcher is closed. */
  private async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.ticker);
    for (const f of this.files.values()) clearTimeout(f.timer);
    await this.working;
    await this.watcher?.close();
    this.done();
  }
}

/** fs.inotify.max_user_watches, when the system shows it. */
function inotifyWatchLimit(): number | null {
  try {
    const n = Number(fs.readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8').trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}
