import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, tmpDir } from '../helpers/cli.js';
import { allCommitted, LogWriter, mismatches, opCounts, runCliAsync, sleep, WatchProcess } from './watch-harness.js';

afterEach(() => WatchProcess.killAll());

describe('oplens watch while others use the database', () => {
  // How soon is a benchmark figure (bench/watch.mjs: append-to-commit p99), not a test's: a loaded machine may take
  // any time. What a test can pin is that a lone line is committed while nothing else arrives (no batch to fill).
  it('commits each lone appended line without waiting for more lines', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const w = new LogWriter(path.join(dir, 'logs'));
    w.append('app.jsonl', 5);
    const watch = await WatchProcess.start(db, [w.dir]);

    // Single lines at uneven gaps (some closer together than the commit interval), each awaited in the store
    // before the next is written.
    for (const gap of [300, 60, 120, 400, 30, 200, 90, 500, 10, 250, 150, 700]) {
      await sleep(gap);
      const [id] = w.append('app.jsonl', 1);
      await allCommitted(db, [id]);
    }
    expect((await watch.stop()).code).toBe(0);
    expect(mismatches(db, w.ids)).toEqual({ wrong: [], missing: [] });
  });

  it('lets readers see consistent snapshots while it writes, with no SQLITE_BUSY', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const w = new LogWriter(path.join(dir, 'logs'));
    w.append('app.jsonl', 10);
    const watch = await WatchProcess.start(db, [w.dir]);

    // The writer writes up to 400 lines per round of the CLI's readers below (every line is its own operation, so
    // an unbounded writer would make each analyze slower than the last on a slow machine).
    let writing = true;
    let budget = 400;
    const writer = (async () => {
      while (writing) {
        if (budget > 0) {
          w.append('app.jsonl', 20);
          w.append('api.jsonl', 20);
          budget -= 40;
        }
        await sleep(5);
      }
    })();

    // A separate process reading through oplens's own store opener (read-only), each time in one transaction:
    // the rollups, the raw events and the checkpoints' counts must agree in every snapshot, and only grow.
    // It reads until its stdin closes (and at least 20 times), so it overlaps all of the CLI's reads below however
    // slow the machine is.
    const reader = spawn(process.execPath, ['--input-type=module', '-e', READER, path.join(ROOT, 'dist/store/sqlite/open-store.js'), db], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    reader.stdout.on('data', (d) => (out += d));
    reader.stderr.on('data', (d) => (err += d));
    const readerDone = new Promise((r) => reader.on('exit', r));

    // And the CLI's own readers, over and over meanwhile: status, and analyze, whose totals must match the sum
    // of its per-operation rows (one snapshot, not queries spread over several commits). They go on until they
    // have seen the store grow past 1,000 events over at least three rounds: counts, not a time slice.
    const statuses: number[] = [];
    const analyzed: number[] = [];
    const window = ['--since', '2026-11-20T00:00:00Z', '--until', '2026-11-21T00:00:00Z'];
    while (analyzed.length < 3 || new Set(analyzed).size < 2 || analyzed[analyzed.length - 1] <= 1000) {
      const [st, an] = await Promise.all([
        runCliAsync(['--db', db, 'status', '--format', 'json']),
        runCliAsync(['--db', db, 'analyze', ...window, '--no-compare', '--format', 'json']),
      ]);
      expect(st.code, st.stderr).toBe(0);
      statuses.push(JSON.parse(st.stdout).events);
      expect(an.code, an.stderr).toBe(0);
      const doc = JSON.parse(an.stdout) as { overall: { count: number }; operations: Array<{ count: number }> };
      expect(doc.operations.reduce((n, o) => n + o.count, 0)).toBe(doc.overall.count);
      analyzed.push(doc.overall.count);
      budget = 400;
    }
    reader.stdin.end();
    await readerDone;
    writing = false;
    await writer;
    await allCommitted(db, w.ids);
    expect((await watch.stop()).code).toBe(0);

    expect(err).toBe('');
    const result = JSON.parse(out) as { reads: number; inconsistent: number; shrank: number; last: number };
    expect(result.reads).toBeGreaterThan(20);
    expect(result).toMatchObject({ inconsistent: 0, shrank: 0 });
    expect(result.last).toBeGreaterThan(1000); // the writer really was writing meanwhile
    expect(statuses).toEqual([...statuses].sort((a, b) => a - b));
    expect(analyzed).toEqual([...analyzed].sort((a, b) => a - b));
    expect(opCounts(db).size).toBe(w.ids.length);
  });
});

/**
 * The reader process: reads until its stdin closes and it has read at least 20 times, then prints what it saw as
 * JSON. Any error goes to stderr and fails the test.
 */
const READER = `
const [openStorePath, db] = process.argv.slice(1);
const { openDatabase } = await import(openStorePath);
const store = openDatabase(db, { readonly: true });
const snapshot = store.transaction(() => ({
  rollups: store.prepare('SELECT coalesce(sum(count), 0) FROM minute_stats').pluck().get(),
  raw: store.prepare('SELECT coalesce(sum(n), 0) FROM event_chunks').pluck().get(),
  files: store.prepare('SELECT coalesce(sum(events), 0) FROM files').pluck().get(),
}));
let reads = 0, inconsistent = 0, shrank = 0, last = 0;
let open = true;
process.stdin.on('end', () => (open = false)).resume();
while (open || reads < 20) {
  const s = snapshot();
  reads++;
  if (s.rollups !== s.raw || s.rollups !== s.files) inconsistent++;
  if (s.rollups < last) shrank++;
  last = s.rollups;
  await new Promise((r) => setTimeout(r, 5));
}
store.close();
process.stdout.write(JSON.stringify({ reads, inconsistent, shrank, last }));
`;
