import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/open-store.js';
import { readStatus } from '../../src/store/sqlite/read-status.js';
import { tmpDir } from '../helpers/cli.js';

const ZEROS = ', 0'.repeat(18);

/** Rollup rows of up to 230 sources (more than one scan's worth), some of them with no rows left. */
const storeArb = fc.integer({ min: 0, max: 230 }).chain((sources) =>
  fc.record({
    sources: fc.constant(sources),
    rows: fc.uniqueArray(
      fc.record({ minute: fc.integer({ min: 0, max: 500 }), op: fc.integer({ min: 1, max: 6 }), source: fc.integer({ min: 1, max: Math.max(1, sources) }), count: fc.integer({ min: 0, max: 1e6 }) }),
      { maxLength: sources ? 300 : 0, selector: (r) => `${r.minute} ${r.op} ${r.source}` },
    ),
  }),
);

describe('status sums of the rollups', () => {
  it('equal the plain GROUP BY over minute_stats for any rows and any number of sources', () => {
    const dir = tmpDir('oplens-status-sums-');
    let n = 0;
    fc.assert(
      fc.property(storeArb, ({ sources, rows }) => {
        const file = path.join(dir, `s${n++}.db`);
        const db = openDatabase(file);
        try {
          // Names whose order differs from their ids', and ties in events between sources.
          const addSource = db.prepare('INSERT INTO sources (id, name) VALUES (?, ?)');
          for (let id = 1; id <= sources; id++) addSource.run(id, `src-${(id * 7919) % 1000}-${id}`);
          const addRow = db.prepare(`INSERT INTO minute_stats VALUES (?, ?, ?, ?${ZEROS})`);
          for (const r of rows) addRow.run(r.minute * 60_000, r.op, r.source, r.count);
          const s = readStatus(db, file);
          expect(s.events).toBe(db.prepare('SELECT coalesce(sum(count), 0) FROM minute_stats').pluck().get());
          expect(s.operations).toBe(db.prepare('SELECT count(DISTINCT op_id) FROM minute_stats').pluck().get());
          expect(s.range?.from ?? null).toBe(db.prepare('SELECT min(minute) FROM minute_stats').pluck().get());
          expect(s.sources).toEqual(db.prepare(`SELECT s.name, sum(m.count) AS events FROM minute_stats m JOIN sources s ON s.id = m.source_id
            GROUP BY s.name ORDER BY events DESC, s.name`).all());
        } finally {
          db.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
