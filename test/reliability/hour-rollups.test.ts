import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addSums, emptySums, type MinuteSums } from '../../src/aggregate/rollup-rows.js';
import { bucketOf } from '../../src/aggregate/sketch.js';
import { ingest } from '../../src/pipeline/ingest.js';
import type { GroupBy, Scope, TimeRange } from '../../src/store/queries.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tmpDir } from '../helpers/cli.js';

/**
 * The SQLite store reads a range's whole hours from hour_stats and only its edge minutes from minute_stats, a
 * range's whole days from day_hist and only its edge hours from hour_hist, the minutes of everything from
 * minute_totals, and a fine series's whole 5-minute buckets from five_min_hist. These properties hold its answers
 * to the plain ones: the same sums, extremes and busiest minutes computed here from every minute_stats row of the
 * range, the same histograms from every hour_hist row, and the slowest events and fine series from the range's raw
 * events.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 9);
const SPAN = 5 * HOUR;

const eventArb = fc.record({
  t: fc.noBias(fc.integer({ min: 0, max: SPAN - 1 })),
  op: fc.constantFrom('a', 'b', 'c'),
  // Few distinct durations and minutes so that equally slow events and equally busy minutes occur.
  d: fc.option(fc.oneof(fc.integer({ min: 1, max: 5 }), fc.double({ min: 0, max: 1e4, noNaN: true })), { nil: null }),
  ok: fc.boolean(),
  mem: fc.option(fc.double({ min: 1, max: 4096, noNaN: true }), { nil: null }),
  file: fc.constantFrom('x', 'y'),
  part: fc.integer({ min: 0, max: 1 }),
});
type Ev = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

/** Windows with arbitrary millisecond edges, from before the data to after it. */
const rangeArb = fc.tuple(fc.noBias(fc.integer({ min: -HOUR, max: SPAN + HOUR })), fc.noBias(fc.integer({ min: 1, max: SPAN + 2 * HOUR })))
  .map(([from, len]): TimeRange => ({ from: T0 + from, to: T0 + from + len }));
const scopeArb = fc.record({
  ops: fc.option(fc.subarray(['a', 'b', 'c', 'z'], { minLength: 1 }), { nil: null }),
  source: fc.option(fc.constantFrom('x', 'y'), { nil: null }),
});
const groupByArb = fc.constantFrom<GroupBy>('op', 'source');

/** Each file gets its events in two appends, so hour rows and their busiest minutes are also merged across batches. */
async function storeOf(dir: string, events: Ev[]): Promise<SqliteStore> {
  const store = openSqliteStore(path.join(dir, 'store.db'));
  for (const part of [0, 1]) {
    for (const file of ['x', 'y']) {
      const f = path.join(dir, `${file}.jsonl`);
      const lines = events.filter((e) => e.file === file && e.part === part).map((e) => JSON.stringify({
        timestamp: new Date(T0 + e.t).toISOString(), operation: e.op, success: e.ok,
        ...(e.d !== null && { duration: e.d }), ...(e.mem !== null && { memoryMb: e.mem }),
      }) + '\n');
      fs.appendFileSync(f, lines.join(''));
      await ingest({ store, paths: [f] });
    }
  }
  return store;
}

interface MinuteStat extends MinuteSums {
  minute: number;
  op: string;
  source: string;
}

function minuteRows(store: SqliteStore): MinuteStat[] {
  const rows = store.db.prepare(`SELECT m.*, o.name AS op, s.name AS source FROM minute_stats m JOIN ops o ON o.id = m.op_id
    JOIN sources s ON s.id = m.source_id`).all() as Array<Record<string, number | string | null>>;
  const gauge = (max: unknown, sum: unknown, n: unknown) => ({ max: (max as number | null) ?? -Infinity, sum: sum as number, n: n as number });
  return rows.map((r) => ({
    minute: r.minute as number, op: r.op as string, source: r.source as string,
    count: r.count as number, okCount: r.ok_count as number, errorCount: r.error_count as number, timeoutCount: r.timeout_count as number,
    durCount: r.dur_count as number, durSum: r.dur_sum as number, durMin: (r.dur_min as number | null) ?? Infinity, durMax: (r.dur_max as number | null) ?? -Infinity,
    retriesSum: r.retries_sum as number, retriedCount: r.retried_count as number,
    memory: gauge(r.mem_max, r.mem_sum, r.mem_n), cpu: gauge(r.cpu_max, r.cpu_sum, r.cpu_n), concurrency: gauge(r.conc_max, r.conc_sum, r.conc_n),
  }));
}

/** Events over four days, from two hours before midnight to three after, so that batches and windows cross days. */
const daysEventArb = fc.tuple(eventArb, fc.integer({ min: 0, max: 3 })).map(([e, d]) => ({ ...e, t: e.t + d * DAY - 2 * HOUR }));
const daysRangeArb = fc.tuple(fc.noBias(fc.integer({ min: -DAY, max: 4 * DAY })), fc.noBias(fc.integer({ min: 1, max: 5 * DAY })))
  .map(([from, len]): TimeRange => ({ from: T0 + from, to: T0 + from + len }));

interface HourHist {
  hour: number;
  op: string;
  source: string;
  bucket: number;
  n: number;
}

function hourHistRows(store: SqliteStore): HourHist[] {
  return store.db.prepare(`SELECT h.hour, o.name AS op, s.name AS source, h.bucket, h.n FROM hour_hist h JOIN ops o ON o.id = h.op_id
    JOIN sources s ON s.id = h.source_id`).all() as HourHist[];
}

/** A histogram as its (bucket, count) pairs in bucket order, so that two are compared whatever order they were merged in. */
function sortedBuckets(b: Map<number, number> | undefined): Array<[number, number]> {
  return [...(b ?? new Map<number, number>())].sort((x, y) => x[0] - y[0]);
}

function inScope(r: MinuteStat, range: TimeRange, scope: Scope): boolean {
  return r.minute >= range.from && r.minute < range.to && (!scope.ops || scope.ops.includes(r.op)) && (scope.source === null || r.source === scope.source);
}

/** Sums of floating-point values depend on the order they are added in; everything else must be equal. */
function expectSameSums(actual: Record<string, unknown>, expected: Record<string, unknown>, at: string): void {
  for (const [k, e] of Object.entries(expected)) {
    const a = actual[k];
    if (e !== null && typeof e === 'object') expectSameSums(a as Record<string, unknown>, e as Record<string, unknown>, `${at}.${k}`);
    else if (typeof e === 'number' && !Number.isInteger(e) && Number.isFinite(e)) expect(Math.abs((a as number) - e), `${at}.${k}`).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(e), 1));
    else expect(a, `${at}.${k}`).toBe(e);
  }
}

describe('hour-level reads', () => {
  it('give the same window totals and busiest minutes as the minute rows, for any window edges and scope', async () => {
    const root = tmpDir('oplens-hours-');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 120 }), fc.array(fc.tuple(rangeArb, scopeArb, groupByArb), { minLength: 1, maxLength: 6 }), async (events, asks) => {
        const dir = path.join(root, String(run++));
        fs.mkdirSync(dir);
        const store = await storeOf(dir, events);
        try {
          const rows = minuteRows(store);
          for (const [range, scope, groupBy] of asks) {
            const expected = new Map<string, MinuteSums & { peakCount: number; peakMinute: number | null }>();
            const perMinute = new Map<string, number>();
            for (const r of rows.filter((r) => inScope(r, range, scope))) {
              const g = groupBy === 'op' ? r.op : r.source;
              const t = expected.get(g) ?? expected.set(g, { ...emptySums(), peakCount: 0, peakMinute: null }).get(g)!;
              addSums(t, r);
              perMinute.set(`${g}\u0000${r.minute}`, (perMinute.get(`${g}\u0000${r.minute}`) ?? 0) + r.count);
            }
            for (const [key, n] of perMinute) {
              const [g, minute] = key.split('\u0000');
              const t = expected.get(g)!;
              if (n > t.peakCount || (n === t.peakCount && Number(minute) < t.peakMinute!)) Object.assign(t, { peakCount: n, peakMinute: Number(minute) });
            }
            const actual = store.queries.minuteTotals(range, scope, groupBy);
            expect(actual.map((r) => r.group).sort()).toEqual([...expected.keys()].sort());
            for (const r of actual) expectSameSums({ ...r }, { group: r.group, ...expected.get(r.group) }, r.group);
            expect(store.queries.sourcesIn(range, scope)).toEqual([...new Set(rows.filter((r) => inScope(r, range, scope)).map((r) => r.source))].sort());
            // The busiest minute over everything in scope (the earliest of equally busy ones), and the minutes with events.
            const minutes = new Map<number, number>();
            for (const r of rows.filter((r) => inScope(r, range, scope))) minutes.set(r.minute, (minutes.get(r.minute) ?? 0) + r.count);
            const busiest = [...minutes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
            expect(store.queries.peakMinute(range, scope)).toEqual(busiest ? { minute: busiest[0], count: busiest[1] } : null);
            expect(store.queries.activeMinutes(range, scope)).toEqual([...minutes.keys()].sort((a, b) => a - b));
          }
          expect(store.queries.quarantine().storedEvents).toBe(events.length);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('give the same series as the minute rows, for buckets of minutes, hours and days', async () => {
    const root = tmpDir('oplens-hours-');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 120 }), rangeArb, scopeArb, groupByArb, fc.constantFrom(MINUTE, 15 * MINUTE, HOUR, 2 * HOUR, 24 * HOUR),
        fc.subarray(['a', 'b', 'x']),
        async (events, range, scope, groupBy, step, keep) => {
          const dir = path.join(root, String(run++));
          fs.mkdirSync(dir);
          const store = await storeOf(dir, events);
          try {
            const expected = new Map<string, { group: string | null; t: number; sums: MinuteSums }>();
            for (const r of minuteRows(store).filter((r) => inScope(r, range, scope))) {
              const name = groupBy === 'op' ? r.op : r.source;
              const group = keep.includes(name) ? name : null;
              const t = r.minute - (r.minute % step);
              const key = `${group}\u0000${t}`;
              const e = expected.get(key) ?? expected.set(key, { group, t, sums: emptySums() }).get(key)!;
              addSums(e.sums, r);
            }
            const actual = store.queries.seriesTotals(range, step, scope, groupBy, keep);
            expect(actual.map((r) => r.t)).toEqual(actual.map((r) => r.t).sort((a, b) => a - b));
            expect(actual.map((r) => `${r.group}\u0000${r.t}`).sort()).toEqual([...expected.keys()].sort());
            for (const r of actual) {
              const e = expected.get(`${r.group}\u0000${r.t}`)!.sums;
              const fin = (x: number) => (Number.isFinite(x) ? x : null);
              expectSameSums({ ...r }, {
                group: r.group, t: r.t, count: e.count, errorCount: e.errorCount, timeoutCount: e.timeoutCount, retriesSum: e.retriesSum,
                durCount: e.durCount, durSum: e.durSum, durMin: fin(e.durMin), durMax: fin(e.durMax), memMax: fin(e.memory.max), concMax: fin(e.concurrency.max),
              }, `${r.group}@${r.t}`);
            }
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('find the same slowest events as sorting every raw event of the window', async () => {
    const root = tmpDir('oplens-hours-');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 120 }), rangeArb, fc.option(fc.constantFrom('x', 'y'), { nil: null }), fc.constantFrom('a', 'b'), fc.integer({ min: 1, max: 6 }),
        async (events, range, source, op, k) => {
          const dir = path.join(root, String(run++));
          fs.mkdirSync(dir);
          const store = await storeOf(dir, events);
          try {
            const scope = { ops: null, source };
            const expected = store.queries.rawEvents(range, scope).filter((e) => e.op === op && e.durationMs !== null)
              .sort((a, b) => b.durationMs! - a.durationMs! || a.ts - b.ts).slice(0, k).map((e) => [e.ts, e.durationMs]);
            expect(store.queries.slowest(range, scope, [op], k).map((e) => [e.ts, e.durationMs])).toEqual(expected);
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('give the same fine series as bucketing every raw event of the range, for any window edges, scope and buckets of minutes', async () => {
    const root = tmpDir('oplens-hours-');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 120 }), fc.array(fc.tuple(rangeArb, scopeArb, groupByArb), { minLength: 1, maxLength: 4 }),
        // Multiples of 5 minutes read whole 5-minute buckets from five_min_hist; 7 minutes is bucketed from raw events alone.
        fc.constantFrom(5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 7 * MINUTE), fc.subarray(['a', 'b', 'x']),
        async (events, asks, step, keep) => {
          const dir = path.join(root, String(run++));
          fs.mkdirSync(dir);
          const store = await storeOf(dir, events);
          try {
            for (const [range, scope, groupBy] of asks) {
              const expected = new Map<string, Map<number, number>>();
              for (const e of store.queries.rawEvents(range, scope)) {
                if (e.durationMs === null) continue;
                const name = groupBy === 'op' ? e.op : e.source;
                const key = `${keep.includes(name) ? name : null}\u0000${e.ts - (e.ts % step)}`;
                const b = expected.get(key) ?? expected.set(key, new Map()).get(key)!;
                b.set(bucketOf(e.durationMs), (b.get(bucketOf(e.durationMs)) ?? 0) + 1);
              }
              const got = new Map<string, Map<number, number>>();
              for (const [g, byT] of store.queries.rawSeriesHistograms(range, step, scope, groupBy, keep)) for (const [t, b] of byT) got.set(`${g}\u0000${t}`, b);
              expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
              for (const [key, b] of got) expect(sortedBuckets(b), key).toEqual(sortedBuckets(expected.get(key)));
            }
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('read the raw events of a scope as every raw event of the range filtered by operation and source', async () => {
    const root = tmpDir('oplens-hours-');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 120 }), rangeArb, scopeArb, async (events, range, scope) => {
        const dir = path.join(root, String(run++));
        fs.mkdirSync(dir);
        const store = await storeOf(dir, events);
        try {
          const key = (e: { ts: number; op: string; source: string; durationMs: number | null }) => `${e.ts},${e.op},${e.source},${e.durationMs}`;
          const all = store.queries.rawEvents(range, { ops: null, source: null });
          const expected = all.filter((e) => (!scope.ops || scope.ops.includes(e.op)) && (scope.source === null || e.source === scope.source));
          expect(store.queries.rawEvents(range, scope).map(key).sort()).toEqual(expected.map(key).sort());
          expect(store.queries.rawEvents(range, scope, true).map(key).sort()).toEqual(expected.filter((e) => !e.ok).map(key).sort());
        } finally {
          await store.close();
        }
      }),
      { numRuns: 30 },
    );
  });

  it('keep hour_stats equal to minute_stats summed per hour, with each row\'s first busiest minute, and minute_totals per minute', async () => {
    const root = tmpDir('oplens-hours-');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 120 }), async (events) => {
        const dir = path.join(root, String(run++));
        fs.mkdirSync(dir);
        const store = await storeOf(dir, events);
        try {
          const hours = new Map<string, { sums: MinuteSums; peakCount: number; peakMinute: number }>();
          for (const r of minuteRows(store)) {
            const key = `${r.minute - (r.minute % HOUR)},${r.op},${r.source}`;
            const h = hours.get(key) ?? hours.set(key, { sums: emptySums(), peakCount: 0, peakMinute: Infinity }).get(key)!;
            addSums(h.sums, r);
            if (r.count > h.peakCount || (r.count === h.peakCount && r.minute < h.peakMinute)) Object.assign(h, { peakCount: r.count, peakMinute: r.minute });
          }
          const stored = store.db.prepare(`SELECT h.hour || ',' || o.name || ',' || s.name AS key, h.count, h.dur_count, h.dur_sum, h.mem_max,
              h.peak_count, h.peak_minute FROM hour_stats h JOIN ops o ON o.id = h.op_id JOIN sources s ON s.id = h.source_id`).all() as Array<Record<string, number | string | null>>;
          expect(stored.map((r) => r.key).sort()).toEqual([...hours.keys()].sort());
          const perMinute = new Map<number, number>();
          for (const r of minuteRows(store)) perMinute.set(r.minute, (perMinute.get(r.minute) ?? 0) + r.count);
          expect(store.db.prepare('SELECT minute, count FROM minute_totals ORDER BY minute').raw().all()).toEqual([...perMinute].sort((a, b) => a[0] - b[0]));
          for (const r of stored) {
            const h = hours.get(r.key as string)!;
            expectSameSums(r, {
              key: r.key, count: h.sums.count, dur_count: h.sums.durCount, dur_sum: h.sums.durSum,
              mem_max: Number.isFinite(h.sums.memory.max) ? h.sums.memory.max : null, peak_count: h.peakCount, peak_minute: h.peakMinute,
            }, r.key as string);
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 30 },
    );
  });

  it('give the same histograms as the hour_hist rows, for any window edges, scope and buckets of hours or days', async () => {
    const root = tmpDir('oplens-days-');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(daysEventArb, { minLength: 1, maxLength: 120 }), fc.array(fc.tuple(daysRangeArb, scopeArb, groupByArb), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(HOUR, 6 * HOUR, DAY, 2 * DAY), fc.subarray(['a', 'b', 'x']),
        async (events, asks, step, keep) => {
          const dir = path.join(root, String(run++));
          fs.mkdirSync(dir);
          const store = await storeOf(dir, events);
          try {
            const rows = hourHistRows(store);
            for (const [range, scope, groupBy] of asks) {
              const whole = new Map<string, Map<number, number>>();
              const series = new Map<string, Map<number, number>>();
              for (const r of rows) {
                if (r.hour < range.from || r.hour >= range.to || (scope.ops && !scope.ops.includes(r.op)) || (scope.source !== null && r.source !== scope.source)) continue;
                const name = groupBy === 'op' ? r.op : r.source;
                const w = whole.get(name) ?? whole.set(name, new Map()).get(name)!;
                w.set(r.bucket, (w.get(r.bucket) ?? 0) + r.n);
                const key = `${keep.includes(name) ? name : null}\u0000${r.hour - (r.hour % step)}`;
                const b = series.get(key) ?? series.set(key, new Map()).get(key)!;
                b.set(r.bucket, (b.get(r.bucket) ?? 0) + r.n);
              }
              const actual = store.queries.hourHistograms(range, scope, groupBy);
              expect([...actual.keys()].sort()).toEqual([...whole.keys()].sort());
              for (const [g, b] of actual) expect(sortedBuckets(b), g).toEqual(sortedBuckets(whole.get(g)));
              const got = new Map<string, Map<number, number>>();
              for (const [g, byT] of store.queries.seriesHistograms(range, step, scope, groupBy, keep)) for (const [t, b] of byT) got.set(`${g}\u0000${t}`, b);
              expect([...got.keys()].sort()).toEqual([...series.keys()].sort());
              for (const [key, b] of got) expect(sortedBuckets(b), key).toEqual(sortedBuckets(series.get(key)));
            }
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keep day_hist equal to hour_hist summed per UTC day', async () => {
    const root = tmpDir('oplens-days-');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(daysEventArb, { minLength: 1, maxLength: 120 }), async (events) => {
        const dir = path.join(root, String(run++));
        fs.mkdirSync(dir);
        const store = await storeOf(dir, events);
        try {
          const expected = new Map<string, number>();
          for (const r of hourHistRows(store)) {
            const key = `${r.hour - (r.hour % DAY)},${r.op},${r.source},${r.bucket}`;
            expected.set(key, (expected.get(key) ?? 0) + r.n);
          }
          const rows = store.db.prepare(`SELECT d.day || ',' || o.name || ',' || s.name AS key, d.buckets, d.counts FROM day_hist d
            JOIN ops o ON o.id = d.op_id JOIN sources s ON s.id = d.source_id`).all() as Array<{ key: string; buckets: string; counts: string }>;
          const stored: Array<[string, number]> = [];
          for (const r of rows) {
            const [buckets, counts] = [JSON.parse(r.buckets) as number[], JSON.parse(r.counts) as number[]];
            expect(buckets, r.key).toEqual([...buckets].sort((a, b) => a - b));
            expect(new Set(buckets).size, r.key).toBe(buckets.length);
            buckets.forEach((b, i) => stored.push([`${r.key},${b}`, counts[i]]));
          }
          expect(stored.sort()).toEqual([...expected].sort());
        } finally {
          await store.close();
        }
      }),
      { numRuns: 30 },
    );
  });
});
