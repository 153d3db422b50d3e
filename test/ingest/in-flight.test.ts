import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLines } from '../../fixtures/generate-log.mjs';
// The built modules: the pool starts the compiled worker file beside them.
import { consumeStream, GROWING_IN_FLIGHT_BYTES, MAX_IN_FLIGHT_BYTES } from '../../dist/pipeline/consume-stream.js';
import { fileSettings } from '../../dist/pipeline/ingest.js';
import { SegmentPool } from '../../dist/pipeline/segment-pool.js';
import { openSqliteStore } from '../../dist/store/sqlite/sqlite-store.js';
import type { PoolJob } from '../../src/pipeline/segment-pool.js';
import type { SegmentResult } from '../../src/pipeline/process-segment.js';
import { query, tmpDir } from '../helpers/cli.js';

const dir = tmpDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * The real worker pool, watched: bytes handed to it whose result the reader has not taken yet (a result counts as
 * taken when the reader awaits it, which is when it goes into a batch).
 */
function watchedPool(real: SegmentPool, namesGrowing: () => boolean = () => false) {
  const seen = { outstanding: 0, most: 0, jobs: 0, mostWhileGrowing: 0 };
  const pool = {
    run(job: PoolJob) {
      seen.jobs++;
      seen.outstanding += job.buf.length;
      seen.most = Math.max(seen.most, seen.outstanding);
      if (namesGrowing()) seen.mostWhileGrowing = Math.max(seen.mostWhileGrowing, seen.outstanding);
      const result = real.run(job);
      return {
        then(ok: (r: SegmentResult) => unknown, fail: (e: unknown) => unknown) {
          seen.outstanding -= job.buf.length;
          return result.then(ok, fail);
        },
      };
    },
  } as unknown as SegmentPool;
  return { pool, seen };
}

describe('input handed to the parsing workers', () => {
  it('stays within MAX_IN_FLIGHT_BYTES (plus one segment) however fast the workers return, and every line is stored once', async () => {
    const file = path.join(dir, 'app.jsonl');
    const lines = 60_000;
    const chunk = 64 * 1024;
    const text = [...generateLines({ seed: 7, count: lines, gapMs: 50 })];
    fs.writeFileSync(file, text.join(''));
    // A segment is a read chunk plus the start of a line the chunk before it cut.
    const segmentAtMost = chunk + Math.max(...text.map((l) => Buffer.byteLength(l)));
    expect(fs.statSync(file).size).toBeGreaterThan(4 * MAX_IN_FLIGHT_BYTES);

    const db = path.join(dir, 'db');
    const store = openSqliteStore(db);
    const run = fileSettings({ store, paths: [file] });
    const real = SegmentPool.create();
    expect(real).not.toBeNull();
    const { pool, seen } = watchedPool(real!);
    try {
      const r = await consumeStream(
        fs.createReadStream(file, { highWaterMark: chunk }),
        { label: file, source: 'app', fileId: null, startOffset: 0, startLine: 0, consumeUnterminatedTail: true, format: null, position: () => null },
        { ...run.settings, pool: () => pool, poolRunning: () => true },
      );
      expect(r.lines).toBe(lines);
      expect(r.events).toBe(lines);
    } finally {
      await real!.close();
      await run.close();
      store.close();
    }
    expect(seen.jobs).toBeGreaterThan(50);
    // Several segments were in flight at once (the bound is what held them back), never more than the bound.
    expect(seen.most).toBeGreaterThan(4 * chunk);
    expect(seen.most).toBeLessThanOrEqual(MAX_IN_FLIGHT_BYTES + segmentAtMost);
    expect(seen.outstanding).toBe(0);
    expect(query(db, 'SELECT sum(count) AS n FROM minute_stats')[0].n).toBe(lines);
    expect(query(db, 'SELECT sum(n) AS n FROM event_chunks')[0].n).toBe(lines);
  });

  it('stays within GROWING_IN_FLIGHT_BYTES while commits still add names, and uses MAX_IN_FLIGHT_BYTES once they add none', async () => {
    const file = path.join(dir, 'names.jsonl');
    const chunk = 64 * 1024;
    const distinct = 20_000;
    const lines = 90_000;
    // The first lines each name a new operation, past the cap; the rest reuse the first names.
    const text = Array.from({ length: lines }, (_, i) =>
      JSON.stringify({ timestamp: new Date(Date.UTC(2026, 10, 9) + i * 10).toISOString(), operation: `op-${i < distinct ? i : i % 100}`, duration: i % 997, success: i % 13 !== 0 }) + '\n');
    fs.writeFileSync(file, text.join(''));
    const segmentAtMost = chunk + Math.max(...text.map((l) => Buffer.byteLength(l)));
    expect(fs.statSync(file).size).toBeGreaterThan(2 * MAX_IN_FLIGHT_BYTES);

    const db = path.join(dir, 'names.db');
    const store = openSqliteStore(db);
    const run = fileSettings({ store, paths: [file], maxOperations: 5_000 });
    const writer = run.settings.writer;
    expect(writer.namesGrowing?.()).toBe(true);
    const real = SegmentPool.create();
    const { pool, seen } = watchedPool(real!, () => writer.namesGrowing!());
    try {
      const r = await consumeStream(
        fs.createReadStream(file, { highWaterMark: chunk }),
        { label: file, source: 'app', fileId: null, startOffset: 0, startLine: 0, consumeUnterminatedTail: true, format: null, position: () => null },
        { ...run.settings, pool: () => pool, poolRunning: () => true },
      );
      expect(r.events).toBe(lines);
    } finally {
      await real!.close();
      await run.close();
      store.close();
    }
    expect(writer.namesGrowing!()).toBe(false);
    expect(seen.mostWhileGrowing).toBeGreaterThan(4 * chunk);
    expect(seen.mostWhileGrowing).toBeLessThanOrEqual(GROWING_IN_FLIGHT_BYTES + segmentAtMost);
    expect(seen.most).toBeGreaterThan(GROWING_IN_FLIGHT_BYTES + segmentAtMost);
    expect(seen.most).toBeLessThanOrEqual(MAX_IN_FLIGHT_BYTES + segmentAtMost);
    expect(seen.outstanding).toBe(0);
    expect(query(db, 'SELECT sum(count) AS n FROM minute_stats')[0].n).toBe(lines);
    expect(query(db, 'SELECT sum(n) AS n FROM event_chunks')[0].n).toBe(lines);
  });
});
