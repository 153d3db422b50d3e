import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/ingest.js';
import type { BatchWriter } from '../../src/store/batch-writer.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tmpDir } from '../helpers/cli.js';

const OTHER = '(other operations)';
const HOUR = Date.UTC(2026, 10, 20, 10);

interface Line {
  op: string;
  t: number;
  d: number;
  ok: boolean;
}

const lineText = (l: Line) =>
  JSON.stringify({ timestamp: new Date(HOUR + l.t).toISOString(), operation: l.op, duration: l.d, success: l.ok, ...(l.ok ? {} : { error: { message: `failed ${l.op}` } }) });

/** The same store, except that its writer never tells readers which names it would fold: only the writer folds. */
function foldingOnlyAtWrite(store: SqliteStore): SqliteStore {
  const plain = Object.create(store) as SqliteStore;
  plain.batchWriter = (caps) => {
    const w = store.batchWriter(caps);
    return { commit: (b) => w.commit(b), fullNames: () => ({}), namesGrowing: () => w.namesGrowing() } satisfies BatchWriter;
  };
  return plain;
}

/** Everything a store holds per operation name (ids differ between stores; names and sums must not). */
function contents(store: SqliteStore) {
  const db = store.db;
  return {
    ops: db.prepare('SELECT name FROM ops ORDER BY name').pluck().all(),
    minutes: db.prepare(`SELECT o.name, minute, sum(count) c, sum(ok_count) ok, sum(error_count) e, sum(dur_count) dc, sum(dur_sum) ds, min(dur_min) mn, max(dur_max) mx
      FROM minute_stats m JOIN ops o ON o.id = m.op_id GROUP BY 1, 2 ORDER BY 1, 2`).all(),
    hist: db.prepare('SELECT o.name, hour, bucket, sum(n) n FROM hour_hist h JOIN ops o ON o.id = h.op_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3').all(),
    groups: db.prepare('SELECT o.name, category, fingerprint, sum(count) n, min(first_seen) f, max(last_seen) l FROM error_groups g JOIN ops o ON o.id = g.op_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3').all(),
    raw: db.prepare('SELECT o.name, sum(n) n, min(ts_min) a, max(ts_max) b FROM event_chunks c JOIN ops o ON o.id = c.op_id GROUP BY 1 ORDER BY 1').all(),
    folded: Number(db.prepare("SELECT value FROM meta WHERE key = 'folded_ops'").pluck().get() ?? 0),
  };
}

describe('operation names past ingest.maxOperations', () => {
  it('are folded while parsing exactly as the writer folds them: the same rows, raw events and folded count', async () => {
    const dir = tmpDir('oplens-cap-');
    let n = 0;
    const lineArb = fc.record({
      op: fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `job-${i}`), OTHER),
      t: fc.integer({ min: 0, max: 3 * 3_600_000 }),
      d: fc.integer({ min: 0, max: 5000 }),
      ok: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(lineArb, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 8 }), async (runs, cap) => {
        const k = n++;
        const stores = [openSqliteStore(path.join(dir, `${k}-parse.db`)), openSqliteStore(path.join(dir, `${k}-write.db`))];
        try {
          // Each run appends to the log and ingests the new lines: from the run after the store filled up, the
          // reader knows the store's names and folds while parsing.
          for (const [i, store] of stores.entries()) {
            const file = path.join(dir, `${k}-${i}.jsonl`);
            fs.writeFileSync(file, '');
            for (const lines of runs) {
              fs.appendFileSync(file, lines.map(lineText).join('\n') + '\n');
              await ingest({ store: i === 0 ? store : foldingOnlyAtWrite(store), paths: [file], maxOperations: cap });
            }
          }
          const [parse, write] = stores.map(contents);
          expect(parse).toEqual(write);
          // Independently: names are taken in order of first sight while the store holds fewer than `cap`
          // (OTHER among them once it is stored); every other event is under OTHER.
          const all = runs.flat();
          const held = new Set<string>();
          for (const l of all) {
            if (held.has(l.op)) continue;
            if (l.op === OTHER || held.size < cap) held.add(l.op);
            else held.add(OTHER);
          }
          const expected = new Map<string, number>();
          for (const l of all) {
            const op = held.has(l.op) ? l.op : OTHER;
            expected.set(op, (expected.get(op) ?? 0) + 1);
          }
          expect(parse.raw.map((r) => [(r as { name: string }).name, (r as { n: number }).n])).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)));
        } finally {
          for (const s of stores) await s.close();
        }
      }),
      { numRuns: 20 },
    );
  });

  it('a name the store holds keeps it in a later run once the store is full; a new one is folded and counted', async () => {
    const dir = tmpDir('oplens-cap-');
    const store = openSqliteStore(path.join(dir, 'oplens.db'));
    try {
      const file = path.join(dir, 'ids.jsonl');
      fs.writeFileSync(file, ['job-0', 'job-1', 'job-2'].map((op, i) => lineText({ op, t: i, d: 10, ok: true })).join('\n') + '\n');
      await ingest({ store, paths: [file], maxOperations: 2 });
      fs.appendFileSync(file, ['job-1', 'job-7', 'job-0', 'job-7'].map((op, i) => lineText({ op, t: 10 + i, d: 20, ok: true })).join('\n') + '\n');
      await ingest({ store, paths: [file], maxOperations: 2 });
      const c = contents(store);
      expect(c.raw.map((r) => [(r as { name: string }).name, (r as { n: number }).n])).toEqual([[OTHER, 3], ['job-0', 2], ['job-1', 2]]);
      // job-2 in the first run, job-7 in the second: one distinct name each.
      expect(c.folded).toBe(2);
    } finally {
      await store.close();
    }
  });
});
