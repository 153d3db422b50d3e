import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderText } from '../../src/report/text/render-text.js';
import { UsageError } from '../../src/errors.js';
import { DAY, HOUR, MINUTE, T0, refQuantile, rng, run, storeWith, type Ev, type Store } from './fixture.js';

const FROM = T0;
const TO = T0 + DAY;
const HOLE = { from: T0 + 10 * HOUR, to: T0 + 13 * HOUR }; // no event at all in here
const r = rng(5);
const events: Ev[] = [];
for (let i = 0; i < 4000; i++) {
  let ts = FROM + Math.floor(r() * (20 * HOUR));
  if (ts >= HOLE.from && ts < HOLE.to) ts += 3 * HOUR;
  const conc = 1 + (i % 4);
  // Failures rise with concurrency: 1 % at level 1 … 40 % at level 4.
  const ok = r() >= [0.01, 0.05, 0.1, 0.4][conc - 1];
  const op = ['checkout', 'search', 'login'][i % 3];
  const source = i % 5 === 0 ? 'worker' : 'api';
  const category = ok ? undefined : op === 'search' ? 'timeout' : 'not_found';
  const message = ok ? undefined : category === 'timeout' ? `timed out after ${100 + (i % 50)} ms` : `user ${i} not found`;
  events.push({ ts, op, source, duration: 10 + r() * 100 + conc * 20, ok, category, message, concurrency: conc });
}
const NOW = T0 + 22 * HOUR;
// Stamped after any moment they can have been read at: clock skew whatever the machine's clock says.
const FUTURE = Date.UTC(2100, 0, 1);
const future = [{ ts: FUTURE + 1, op: 'login', duration: 5 }, { ts: FUTURE + 5 * MINUTE, op: 'login', duration: 5 }];
/** Later than the pinned now, but earlier than the ingest: later data, not skew. */
const later = [{ ts: NOW + 1, op: 'login', duration: 5 }, { ts: NOW + 5 * MINUTE, op: 'login', duration: 5 }];

let s: Store;
beforeAll(async () => {
  s = await storeWith([...events, ...later, ...future], '{"broken json\n{"operation":"x","duration":1}\n');
});
afterAll(() => s.close());

describe('errors', () => {
  it('ranks categories with their share of failures and the operations they hit', () => {
    const doc = run(s, { fromMs: FROM, toMs: TO, nowMs: NOW });
    const failed = events.filter((e) => e.ok === false);
    const byCat = (c: string) => failed.filter((e) => e.category === c);
    expect(doc.errorCategories.map((c) => c.category)).toEqual(byCat('timeout').length > byCat('not_found').length ? ['timeout', 'not_found'] : ['not_found', 'timeout']);
    for (const c of doc.errorCategories) {
      expect(c.count).toBe(byCat(c.category).length);
      expect(c.share).toBeCloseTo(byCat(c.category).length / failed.length, 12);
    }
    const nf = doc.errorCategories.find((c) => c.category === 'not_found')!;
    expect(nf.ops.map((o) => [o.op, o.count]).sort()).toEqual(
      ['checkout', 'login'].map((op) => [op, byCat('not_found').filter((e) => e.op === op).length]).sort(),
    );
  });

  it('merges error groups over hours by fingerprint, with exact first and last seen', () => {
    const doc = run(s, { fromMs: FROM, toMs: TO, nowMs: NOW });
    const mine = events.filter((e) => e.ok === false && e.op === 'search');
    const g = doc.errorGroups.find((x) => x.op === 'search')!;
    expect(g.fingerprint).toBe('timed out after <n> ms');
    expect(g.count).toBe(mine.length);
    expect(g.firstSeen).toBe(Math.min(...mine.map((e) => e.ts)));
    expect(g.lastSeen).toBe(Math.max(...mine.map((e) => e.ts)));
    expect(g.example).toMatch(/^timed out after \d+ ms$/);
  });
});

describe('grouping and filters', () => {
  it('groups by source and filters by source and operation glob', () => {
    const bySource = run(s, { fromMs: FROM, toMs: TO, nowMs: NOW, groupBy: 'source' });
    expect(bySource.groupBy).toBe('source');
    for (const src of ['api', 'worker']) expect(bySource.operations.find((g) => g.op === src)!.count).toBe(events.filter((e) => e.source === src).length);
    const worker = run(s, { fromMs: FROM, toMs: TO, nowMs: NOW, source: 'worker', op: 's*' });
    const mine = events.filter((e) => e.source === 'worker' && e.op === 'search');
    expect(worker.filters).toEqual({ op: 's*', source: 'worker' });
    expect(worker.overall.count).toBe(mine.length);
    expect(worker.operations.map((g) => g.op)).toEqual(['search']);
    expect(worker.errorGroups.reduce((a, g) => a + g.count, 0)).toBe(mine.filter((e) => e.ok === false).length);
    expect(worker.coverage.sources).toEqual(['worker']);
  });

  it('an --op or --source that names nothing in the store is a usage error', () => {
    expect(() => run(s, { fromMs: FROM, toMs: TO, op: 'pay*' })).toThrowError(UsageError);
    expect(() => run(s, { fromMs: FROM, toMs: TO, op: 'pay*' })).toThrowError(/--op: "pay\*" matches no operation.*/);
    expect(() => run(s, { fromMs: FROM, toMs: TO, source: 'db' })).toThrowError(/--source: no source named "db"/);
  });
});

describe('drill-down', () => {
  it('failure rate and exact p95 per concurrency level', () => {
    const doc = run(s, { fromMs: FROM, toMs: TO, nowMs: NOW });
    expect(doc.concurrency.map((c) => c.level)).toEqual([1, 2, 3, 4]);
    for (const c of doc.concurrency) {
      const at = events.filter((e) => e.concurrency === c.level);
      expect(c.count).toBe(at.length);
      expect(c.errorRate).toBeCloseTo(at.filter((e) => e.ok === false).length / at.length, 12);
      expect(c.p95).toBeCloseTo(refQuantile(at.map((e) => e.duration).sort((a, b) => a - b), 0.95), 9);
    }
    expect(doc.concurrency[3].errorRate).toBeGreaterThan(doc.concurrency[0].errorRate * 5);
  });

  it('many concurrency levels are grouped into about ten buckets', async () => {
    const wide = await storeWith(Array.from({ length: 500 }, (_, i) => ({ ts: T0 + i * MINUTE, op: 'x', duration: 1 + i, concurrency: i % 100 })));
    try {
      const doc = run(wide, { fromMs: T0, toMs: T0 + DAY });
      expect(doc.concurrency.map((c) => c.level)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
      expect(doc.concurrency.every((c) => c.width === 10 && c.count === 50)).toBe(true);
    } finally {
      wide.close();
    }
  });

  it('lists the slowest raw events of the busiest operations', () => {
    const doc = run(s, { fromMs: FROM, toMs: TO, nowMs: NOW });
    for (const op of ['checkout', 'search', 'login']) {
      const expected = events.filter((e) => e.op === op).map((e) => e.duration).sort((a, b) => b - a).slice(0, 3);
      expect(doc.slowest.filter((x) => x.op === op).map((x) => x.durationMs)).toEqual(expected);
    }
    expect(doc.slowest.map((x) => x.durationMs)).toEqual([...doc.slowest.map((x) => x.durationMs)].sort((a, b) => b - a));
  });
});

describe('data quality', () => {
  it('reports quarantined lines, events stamped after they were read (not the later data behind a pinned now) and gaps inside the window', () => {
    const doc = run(s, { fromMs: FROM, toMs: NOW, nowMs: NOW });
    expect(doc.dataQuality.quarantined).toBe(2);
    expect(doc.dataQuality.futureEvents).toBe(future.length);
    const minutes = [...new Set(events.map((e) => e.ts - (e.ts % MINUTE)))].sort((a, b) => a - b);
    const beforeHole = minutes.filter((m) => m < HOLE.from).pop()!;
    const afterHole = minutes.find((m) => m >= HOLE.to)!;
    const last = minutes[minutes.length - 1];
    expect(doc.dataQuality.gaps).toEqual([
      { from: beforeHole + MINUTE, to: afterHole, minutes: (afterHole - beforeHole - MINUTE) / MINUTE },
      // Nothing arrived after the last event until now: that silence is a gap too.
      { from: last + MINUTE, to: NOW, minutes: (NOW - last - MINUTE) / MINUTE },
    ]);
  });

  it('a window without data has no gaps', () => {
    expect(run(s, { fromMs: TO + DAY, toMs: TO + 2 * DAY }).dataQuality.gaps).toEqual([]);
  });
});

describe('terminal summary', () => {
  it('shows control characters from the logs instead of sending them to the terminal', async () => {
    const evil = await storeWith([
      { ts: T0, op: 'pay\u001b[2Jment', duration: 5, ok: false, category: 'timeout', message: 'boom\u0007 \u001b]0;owned\u0007' },
    ]);
    try {
      const plain = (x: string) => x;
      const text = renderText(run(evil, { fromMs: T0, toMs: T0 + HOUR }), { bold: plain, dim: plain, red: plain, yellow: plain, green: plain });
      expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
      expect(text).toContain('pay\\x1b[2Jment');
      expect(text).toContain('"boom\\x07 \\x1b]0;owned\\x07"');
    } finally {
      evil.close();
    }
  });
});
