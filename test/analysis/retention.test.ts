import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/ingest.js';
import { DAY, HOUR, MINUTE, QS, T0, inWindow, line, refQuantile, relErr, rng, run, sortedDurations, storeWith, type Ev, type Store } from './fixture.js';

// Two days of events; raw events of the first day are pruned, rollups stay.
const r = rng(3);
const events: Ev[] = Array.from({ length: 6000 }, () => ({ ts: T0 + Math.floor(r() * 2 * DAY), op: 'q', duration: 1 + r() * 1000 }));
const CUT = T0 + DAY + 30 * MINUTE; // rounded down to the hour by prune

let s: Store;
beforeAll(async () => {
  s = await storeWith(events);
});
afterAll(() => s.close());

describe('after oplens prune', () => {
  it('deletes raw events before the cut (to the hour), records it, and keeps the rollups', () => {
    const res = s.store.pruneRawEvents(CUT);
    expect(res.prunedBefore).toBe(T0 + DAY);
    expect(res.deleted).toBe(events.filter((e) => e.ts < T0 + DAY).length);
    const doc = run(s, { fromMs: T0, toMs: T0 + 2 * DAY });
    expect(doc.overall.count).toBe(events.length);
    expect(doc.coverage.rawRetainedFrom).toBe(T0 + DAY);
    // A second, longer-retention prune does not move the mark back.
    expect(s.store.pruneRawEvents(T0).prunedBefore).toBe(T0 + DAY);
  });

  it('reads a pruned partial edge hour whole from the rollups and says so', () => {
    const from = T0 + 5 * HOUR + 20 * MINUTE + 7_000;
    const to = T0 + 2 * DAY;
    const doc = run(s, { fromMs: from, toMs: to });
    // The edge minute is counted whole: the window effectively starts at its minute.
    const widened = from - (from % MINUTE);
    expect(doc.overall.count).toBe(inWindow(events, widened, to).length);
    expect(doc.method.description).toMatch(/were pruned/);
    const sorted = sortedDurations(inWindow(events, from - (from % HOUR), to));
    for (const [k, q] of QS) expect(relErr(doc.overall[k]!, refQuantile(sorted, q))).toBeLessThanOrEqual(0.01 + 1e-12);
  });

  it('--exact needs the window to be retained', () => {
    expect(() => run(s, { fromMs: T0, toMs: T0 + 2 * DAY, exact: true })).toThrowError(/--exact: raw events before .* were pruned/);
    const doc = run(s, { fromMs: T0 + DAY, toMs: T0 + 2 * DAY, exact: true });
    const sorted = sortedDurations(inWindow(events, T0 + DAY, T0 + 2 * DAY));
    for (const [k, q] of QS) expect(doc.overall[k]).toBeCloseTo(refQuantile(sorted, q), 9);
  });
});

describe('five_min_hist after oplens prune', () => {
  it('drops the rows of batches that end before the cut, which no fine series reads, and keeps the others', async () => {
    const first = await storeWith(events.filter((e) => e.ts < T0 + DAY));
    try {
      const later = path.join(first.dir, 'later.jsonl');
      fs.writeFileSync(later, events.filter((e) => e.ts >= T0 + DAY).map(line).join(''));
      await ingest({ store: first.store, paths: [later] });
      const spans = () => first.store.db.prepare('SELECT first_start AS first, last_start AS last FROM five_min_hist ORDER BY first_start').all() as Array<{ first: number; last: number }>;
      const before = spans();
      expect(before.map((r) => r.last < T0 + DAY)).toEqual([true, false]);
      first.store.pruneRawEvents(CUT);
      expect(spans()).toEqual(before.slice(1));
    } finally {
      first.close();
    }
  });
});
