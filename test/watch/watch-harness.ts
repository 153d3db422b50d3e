import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { query, spawnCli } from '../helpers/cli.js';

/**
 * A log writer for the watch tests. Every line is one operation named by a unique id (`w17`), so the store can be
 * checked line by line: each id counted exactly once, through the per-minute rollups.
 */
export class LogWriter {
  readonly ids: string[] = [];
  private next = 0;

  /** Lines are stamped 7 ms apart from `startMs` (a fixed day unless a test needs them recent). */
  constructor(
    readonly dir: string,
    private readonly startMs = Date.UTC(2026, 10, 20, 12, 0, 0),
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  /** The next line (newline included) and its id; it counts as written once it is on disk. */
  line(): { id: string; text: string } {
    const id = `w${this.next++}`;
    const ts = this.startMs + this.next * 7;
    return { id, text: `{"timestamp":${ts},"operation":"${id}","duration":${(this.next % 97) + 0.5},"success":true}\n` };
  }

  /** Appends `n` whole lines in one write. */
  append(name: string, n: number): string[] {
    const lines = Array.from({ length: n }, () => this.line());
    fs.appendFileSync(this.file(name), lines.map((l) => l.text).join(''));
    const ids = lines.map((l) => l.id);
    this.ids.push(...ids);
    return ids;
  }

  /** Writes the first half of a line now; the returned function writes the rest and its newline. */
  appendHalf(name: string): { id: string; finish: () => void } {
    const { id, text } = this.line();
    const cut = Math.floor(text.length / 2);
    fs.appendFileSync(this.file(name), text.slice(0, cut));
    return {
      id,
      finish: () => {
        fs.appendFileSync(this.file(name), text.slice(cut));
        this.ids.push(id);
      },
    };
  }
}

/** How many times each operation was counted. */
export function opCounts(db: string): Map<string, number> {
  if (!fs.existsSync(db)) return new Map();
  const rows = query<{ op: string; n: number }>(db, 'SELECT o.name AS op, sum(m.count) AS n FROM minute_stats m JOIN ops o ON o.id = m.op_id GROUP BY o.name');
  return new Map(rows.map((r) => [r.op, r.n]));
}

/** Ids stored a number of times other than once, and written ids that are missing; both empty when exact. */
export function mismatches(db: string, ids: string[]): { wrong: Array<[string, number]>; missing: string[] } {
  const counts = opCounts(db);
  const written = new Set(ids);
  return {
    wrong: [...counts].filter(([op, n]) => n !== 1 || !written.has(op)),
    missing: ids.filter((id) => !counts.has(id)),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The caps are generous: they only end a test that would otherwise hang; a loaded machine may be slow.
export async function waitUntil(what: string, cond: () => boolean, timeoutMs = 60_000, everyMs = 25): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Resolves once every id is in the store. */
export function allCommitted(db: string, ids: string[], timeoutMs = 60_000): Promise<void> {
  return waitUntil(`${ids.length} lines committed`, () => {
    const c = opCounts(db);
    return ids.every((id) => c.has(id));
  }, timeoutMs);
}

/** Runs the CLI without blocking this process (a writer in the test keeps going meanwhile). */
export function runCliAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** A running `oplens watch`, its stderr collected; every one started is killed by `killAll` (afterEach). */
let configFile: string | undefined;

function manyOperationsConfig(): string {
  if (!configFile) {
    configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'oplens-watch-config-')), 'oplens.config.json');
    fs.writeFileSync(configFile, JSON.stringify({ ingest: { maxOperations: 10_000_000 } }));
  }
  return configFile;
}

export class WatchProcess {
  private static running = new Set<WatchProcess>();
  readonly child: ChildProcess;
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** `child` runs the CLI with `args` some other way (under a lowered system limit, say). */
  constructor(args: string[], child: ChildProcess = spawnCli(args)) {
    this.child = child;
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    this.child.stdout!.resume();
    WatchProcess.running.add(this);
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => {
      WatchProcess.running.delete(this);
      resolve({ code, signal });
    }));
  }

  /**
   * Starts watch and waits until it has read what the paths held (its "caught up" message). Every line of the
   * writer is its own operation (its id), so the store's cap on operation names is lifted.
   */
  static async start(db: string, paths: string[], extra: string[] = [], launch?: (args: string[]) => ChildProcess): Promise<WatchProcess> {
    const args = ['--db', db, '--config', manyOperationsConfig(), 'watch', ...paths, ...extra];
    const w = new WatchProcess(args, launch?.(args));
    await w.waitForStderr(/caught up/);
    return w;
  }

  async waitForStderr(re: RegExp, timeoutMs = 60_000): Promise<void> {
    await waitUntil(`${re} from watch`, () => re.test(this.stderr) || this.child.exitCode !== null, timeoutMs, 10);
    if (!re.test(this.stderr)) throw new Error(`watch exited early: ${this.stderr}`);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`watch did not exit within ${timeoutMs} ms of ${signal}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  static killAll(): void {
    for (const w of WatchProcess.running) w.child.kill('SIGKILL');
    WatchProcess.running.clear();
  }
}
