import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/ingest.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { query, tmpDir } from '../helpers/cli.js';

/**
 * Every file here starts with the same 1.3 KB line (a shipper's metadata record, not an operation), and every
 * operation line carries the same 1.3 KB prefix: the look-alike files that a hash of the first bytes confuses.
 * Each operation line is named by a unique id, so the store shows whether each was counted exactly once.
 */
const META = JSON.stringify({ kubernetes: { pod: 'api-0', labels: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`l${i}`, 'v'.repeat(24)])) } });
const FIRST = `${META.slice(0, -1)},"message":"logger started"}\n`;
const DAY = Date.UTC(2026, 10, 20);

type Action =
  | { kind: 'append'; file: number; lines: number; partial: boolean }
  | { kind: 'rotate'; file: number; style: 'rename' | 'copytruncate' | 'gzip' | 'recreate' }
  | { kind: 'ingest'; stopAfter: number | null };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('append' as const), file: fc.nat(1), lines: fc.integer({ min: 1, max: 25 }), partial: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rotate' as const), file: fc.nat(1), style: fc.constantFrom('rename' as const, 'copytruncate' as const, 'gzip' as const, 'recreate' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('ingest' as const), stopAfter: fc.option(fc.integer({ min: 1, max: 40 })) }) },
);

/** The logs of two services in one directory, rotated the ways logrotate and shippers do. */
class Logs {
  private next = 0;
  private rotations = 0;
  private pending = ['', ''];
  readonly written: string[] = [];

  constructor(readonly dir: string) {}

  name(file: number): string {
    return path.join(this.dir, `svc${file}.log`);
  }

  append(file: number, lines: number, partial: boolean): void {
    const p = this.name(file);
    let text = fs.existsSync(p) && fs.statSync(p).size > 0 ? '' : FIRST;
    text += this.pending[file];
    this.pending[file] = '';
    for (let i = 0; i < lines; i++) {
      const id = `op-${this.next++}`;
      this.written.push(id);
      const line = `${META.slice(0, -1)},"timestamp":${DAY + this.next * 1000},"operation":"${id}","duration":${this.next % 50},"success":true}\n`;
      // A writer caught mid-line: the rest of the line is written with the next append.
      if (partial && i === lines - 1) {
        const cut = Math.floor(line.length / 2);
        text += line.slice(0, cut);
        this.pending[file] = line.slice(cut);
      } else {
        text += line;
      }
    }
    fs.appendFileSync(p, text);
  }

  /** Rotation moves whole lines only: a line being written is finished first, as a writer would before reopening. */
  rotate(file: number, style: 'rename' | 'copytruncate' | 'gzip' | 'recreate'): void {
    const p = this.name(file);
    if (!fs.existsSync(p)) return;
    if (this.pending[file]) {
      fs.appendFileSync(p, this.pending[file]);
      this.pending[file] = '';
    }
    const old = `${p}.${++this.rotations}`;
    if (style === 'rename') fs.renameSync(p, old);
    else if (style === 'copytruncate') {
      fs.copyFileSync(p, old);
      fs.truncateSync(p, 0);
    } else if (style === 'gzip') {
      fs.renameSync(p, old);
      fs.writeFileSync(`${old}.gz`, zlib.gzipSync(fs.readFileSync(old)));
      fs.rmSync(old);
    } else {
      // Deleted and created again: its lines are kept in an archive first (the inode may be reused at once).
      fs.writeFileSync(`${old}.gz`, zlib.gzipSync(fs.readFileSync(p)));
      fs.rmSync(p);
      fs.writeFileSync(p, '');
    }
  }

  finish(): void {
    for (const file of [0, 1]) if (this.pending[file]) fs.appendFileSync(this.name(file), this.pending[file]);
    this.pending = ['', ''];
  }
}

async function run(dbPath: string, logs: Logs, stopAfter: number | null): Promise<void> {
  const files = [0, 1].map((f) => logs.name(f)).filter((p) => fs.existsSync(p));
  const rotated = fs.readdirSync(logs.dir).filter((n) => /\.log\.\d+(\.gz)?$/.test(n)).map((n) => path.join(logs.dir, n));
  const paths = [...files, ...rotated];
  if (paths.length === 0) return;
  // A kill can only land between transactions (each batch commits atomically with its checkpoint), so stopping
  // after the n-th absorbed segment reaches every state a SIGKILL can leave.
  const ctl = new AbortController();
  let seen = 0;
  const store = openSqliteStore(dbPath);
  try {
    await ingest({
      store, paths, batchLines: 3, maxOperations: 100_000, signal: ctl.signal,
      onProgress: () => {
        if (stopAfter !== null && ++seen >= stopAfter) ctl.abort();
      },
    });
  } finally {
    await store.close();
  }
}

describe('file identity properties', () => {
  it('any rotation sequence, look-alike files, partial lines and stopped runs: every line counted exactly once', async () => {
    const root = tmpDir('oplens-identity-');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 14 }), async (actions) => {
        const dir = path.join(root, `case-${n++}`);
        fs.mkdirSync(dir);
        const dbPath = path.join(dir, 'oplens.db');
        const logs = new Logs(path.join(dir, 'logs'));
        fs.mkdirSync(logs.dir);
        for (const a of actions) {
          if (a.kind === 'append') logs.append(a.file, a.lines, a.partial);
          else if (a.kind === 'rotate') logs.rotate(a.file, a.style);
          else await run(dbPath, logs, a.stopAfter);
        }
        logs.finish();
        await run(dbPath, logs, null);
        await run(dbPath, logs, null); // a second run finds nothing new
        if (logs.written.length === 0) return;
        const counts = query<{ name: string; n: number }>(dbPath, 'SELECT o.name, sum(m.count) AS n FROM minute_stats m JOIN ops o ON o.id = m.op_id GROUP BY o.name');
        const got = new Map(counts.map((c) => [c.name, c.n]));
        const wrong = logs.written.filter((id) => got.get(id) !== 1).map((id) => `${id}: ${got.get(id) ?? 0}`);
        expect(wrong).toEqual([]);
        expect(counts).toHaveLength(logs.written.length);
        expect(query(dbPath, 'SELECT reason FROM quarantine')).toEqual([]);
      }),
      {
        numRuns: 40,
        examples: [
          // A file whose only complete line is a look-alike's first line, and whose second line is half written.
          [[{ kind: 'append', file: 0, lines: 1, partial: false }, { kind: 'append', file: 1, lines: 1, partial: true }, { kind: 'ingest', stopAfter: null }, { kind: 'append', file: 0, lines: 1, partial: false }]],
        ],
      },
    );
  }, 240_000);
});
