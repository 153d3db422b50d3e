import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, bucketValue, mergeInto, sketchQuantiles, type Buckets } from '../../src/aggregate/sketch.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { openDatabase } from '../../src/store/sqlite/open-store.js';
import { tmpDir } from '../helpers/cli.js';

function snapshot(dbPath: string) {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return {
      minutes: db.prepare('SELECT minute, count, ok_count, error_count, dur_count, dur_sum FROM minute_stats ORDER BY minute, op_id').all(),
      hist: db.prepare('SELECT hour, bucket, n FROM hour_hist ORDER BY hour, op_id, bucket').all(),
      raw: db.prepare('SELECT coalesce(sum(n), 0) AS n FROM event_chunks').pluck().get(),
      quarantine: db.prepare('SELECT line, byte_offset, reason FROM quarantine ORDER BY line').all(),
    };
  } finally {
    db.close();
  }
}

const lineArb = fc.oneof(
  fc.record({
    t: fc.integer({ min: 0, max: 7 * 86_400_000 }),
    op: fc.constantFrom('a', 'b', 'c'),
    d: fc.double({ min: 0, max: 1e6, noNaN: true }),
    ok: fc.boolean(),
  }).map((r) => JSON.stringify({ timestamp: Date.UTC(2026, 10, 9) + r.t, operation: r.op, duration: r.d, success: r.ok })),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/\n/g, ' ')),
  fc.constant(''),
);

describe('properties', () => {
  it('any sequence of bytes never throws out of ingest', async () => {
    const dir = tmpDir('oplens-prop-');
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), async (bytes, gz) => {
        const dbPath = path.join(dir, `bytes-${i}.db`);
        const f = path.join(dir, `bytes-${i++}.jsonl${gz ? '.gz' : ''}`);
        fs.writeFileSync(f, bytes);
        const store = openSqliteStore(dbPath);
        try {
          const s = await ingest({ store, paths: [f] });
          expect(s.files).toHaveLength(1);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('any split of a file into appends ingests the same as the whole file', async () => {
    const dir = tmpDir('oplens-prop-');
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { minLength: 1, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 6 }), async (lines, cuts) => {
        const content = lines.join('\n') + '\n';
        const run = i++;
        const whole = path.join(dir, `whole-${run}.db`);
        const wholeFile = path.join(dir, `whole-${run}`, 'app.jsonl');
        fs.mkdirSync(path.dirname(wholeFile));
        fs.writeFileSync(wholeFile, content);
        let store = openSqliteStore(whole);
        await ingest({ store, paths: [wholeFile] });
        await store.close();

        const parts = path.join(dir, `parts-${run}.db`);
        const partFile = path.join(dir, `parts-${run}`, 'app.jsonl');
        fs.mkdirSync(path.dirname(partFile));
        fs.writeFileSync(partFile, '');
        const points = [...new Set(cuts.map((c) => c % content.length))].sort((a, b) => a - b);
        let prev = 0;
        store = openSqliteStore(parts);
        for (const p of [...points, content.length]) {
          fs.appendFileSync(partFile, content.slice(prev, p));
          prev = p;
          await ingest({ store, paths: [partFile] });
        }
        await store.close();
        const a = snapshot(whole);
        const b = snapshot(parts);
        expect(b).toEqual(a);
      }),
      { numRuns: 40 },
    );
  });

  it('merging sketches in any order gives the same percentiles', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 50 }), { minLength: 1, maxLength: 8 }),
        fc.func(fc.integer()),
        (groups, order) => {
          const sketchOf = (vs: number[]): Buckets => {
            const b: Buckets = new Map();
            for (const v of vs) mergeInto(b, bucketOf(v), 1);
            return b;
          };
          const parts = groups.map(sketchOf);
          const merge = (list: Buckets[]) => {
            const m: Buckets = new Map();
            for (const p of list) for (const [k, n] of p) mergeInto(m, k, n);
            return m;
          };
          const shuffled = parts.map((p, i) => ({ p, k: order(i) })).sort((x, y) => x.k - y.k).map((x) => x.p);
          const qs = [0, 0.5, 0.9, 0.95, 0.99, 0.999, 1];
          expect(sketchQuantiles(merge(shuffled), qs)).toEqual(sketchQuantiles(merge(parts), qs));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sketch quantiles are the plain reading of the histogram: the buckets walked in order up to each rank', () => {
    const plain = (b: Buckets, qs: number[], min?: number, max?: number): number[] => {
      const sorted = [...b.entries()].sort((x, y) => x[0] - y[0]);
      const n = sorted.reduce((s, [, c]) => s + c, 0);
      if (n === 0) return qs.map(() => NaN);
      const at = (rank: number) => {
        let seen = 0;
        for (const [k, c] of sorted) if (rank < (seen += c)) return bucketValue(k);
        return bucketValue(sorted[sorted.length - 1][0]);
      };
      return qs.map((q) => {
        const h = q * (n - 1);
        const lo = Math.floor(h);
        const v = lo === h ? at(lo) : at(lo) + (h - lo) * (at(lo + 1) - at(lo));
        return min !== undefined && v < min ? min : max !== undefined && v > max ? max : v;
      });
    };
    fc.assert(
      fc.property(
        // Few distinct buckets and counts of zero too, so that ranks fall on bucket edges.
        fc.array(fc.tuple(fc.integer({ min: -40, max: 40 }), fc.integer({ min: 0, max: 5 })), { maxLength: 30 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
        fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }), fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
        (pairs, qs, min, max) => {
          const b: Buckets = new Map(pairs);
          expect(sketchQuantiles(b, qs, min, max)).toEqual(plain(b, qs, min, max));
        },
      ),
      { numRuns: 500 },
    );
  });
});

