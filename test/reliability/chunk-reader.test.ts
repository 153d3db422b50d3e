import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/ingest.js';
import { ChunkReader } from '../../src/store/sqlite/raw-events.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tmpDir } from '../helpers/cli.js';

/**
 * The chunk reader keeps decoded chunks for later reads. Whatever it keeps and drops, and whatever was appended or
 * pruned in between, it must read what a reader that keeps nothing reads.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 10, 9);
const SPAN = 4 * HOUR;

const eventArb = fc.record({
  t: fc.noBias(fc.integer({ min: 0, max: SPAN - 1 })),
  op: fc.constantFrom('a', 'b', 'c'),
  d: fc.option(fc.double({ min: 0, max: 1e4, noNaN: true }), { nil: null }),
  ok: fc.boolean(),
});
const rangeArb = fc.tuple(fc.noBias(fc.integer({ min: -HOUR, max: SPAN })), fc.noBias(fc.integer({ min: 1, max: SPAN + HOUR })))
  .map(([from, len]) => ({ fromMs: T0 + from, toMs: T0 + from + len }));
const scopeArb = fc.record({ ops: fc.option(fc.subarray(['a', 'b', 'z'], { minLength: 1 }), { nil: null }), source: fc.constant(null) });
/** A read, an append of more events, or a prune of the raw events before an instant. */
const stepArb = fc.oneof(
  fc.record({ read: rangeArb, scope: scopeArb }),
  fc.record({ append: fc.array(eventArb, { minLength: 1, maxLength: 30 }) }),
  fc.record({ pruneBefore: fc.integer({ min: 0, max: SPAN }) }),
);

describe('the chunk reader', () => {
  it('reads what a reader that keeps nothing reads, across appends and prunes', async () => {
    const root = tmpDir('oplens-chunks-');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 60 }), fc.array(stepArb, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 80 }), async (first, steps, keep) => {
        const dir = path.join(root, String(run++));
        fs.mkdirSync(dir);
        const file = path.join(dir, 'x.jsonl');
        const store = openSqliteStore(path.join(dir, 'store.db'));
        const append = async (events: typeof first) => {
          fs.appendFileSync(file, events.map((e) => JSON.stringify({
            timestamp: new Date(T0 + e.t).toISOString(), operation: e.op, success: e.ok, ...(e.d !== null && { duration: e.d }),
          }) + '\n').join(''));
          await ingest({ store, paths: [file] });
        };
        try {
          await append(first);
          const reader = new ChunkReader(store.db, keep);
          const events = (r: ChunkReader, step: { read: { fromMs: number; toMs: number }; scope: { ops: string[] | null; source: null } }) =>
            [...r.events(step.read, step.scope)].map((e) => `${e.ts},${e.op},${e.durationMs},${e.ok}`).sort();
          for (const step of steps) {
            if ('append' in step) await append(step.append);
            else if ('pruneBefore' in step) store.pruneRawEvents(T0 + step.pruneBefore);
            else expect(events(reader, step)).toEqual(events(new ChunkReader(store.db, 0), step));
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('does not take a chunk written under a row id that a prune freed for the chunk that had it', async () => {
    const dir = tmpDir('oplens-chunks-');
    const file = path.join(dir, 'x.jsonl');
    const store = openSqliteStore(path.join(dir, 'store.db'));
    const append = async (minute: number, duration: number) => {
      fs.appendFileSync(file, JSON.stringify({ timestamp: new Date(T0 + minute * MINUTE).toISOString(), operation: 'a', success: true, duration }) + '\n');
      await ingest({ store, paths: [file] });
    };
    try {
      const reader = new ChunkReader(store.db);
      const read = () => [...reader.events({ fromMs: T0, toMs: T0 + HOUR }, { ops: null, source: null })].map((e) => [e.ts, e.durationMs]);
      await append(10, 5);
      expect(read()).toEqual([[T0 + 10 * MINUTE, 5]]);
      // The only chunk, and so the one with the largest row id, is pruned; the next one gets its id.
      store.pruneRawEvents(T0 + HOUR);
      await append(20, 7);
      expect(store.db.prepare('SELECT id FROM event_chunks').pluck().all()).toEqual([1]);
      expect(read()).toEqual([[T0 + 20 * MINUTE, 7]]);
    } finally {
      await store.close();
    }
  });
});
