import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByHour, rollupGroups } from '../../src/aggregate/rollup.js';
import { emptySums, type MinuteRow } from '../../src/aggregate/rollup-rows.js';
import type { SourcedEvent } from '../../src/core/op-event.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 9);

/** The plain grouping: one string key per event, groups and rows in order of first appearance. */
function plainGroups(events: SourcedEvent[]) {
  const groups = new Map<string, { hour: number; op: string; source: string; events: SourcedEvent[] }>();
  for (const e of events) {
    const hour = e.ts - (e.ts % HOUR);
    const key = `${e.op}\u0000${e.source}\u0000${hour}`;
    if (!groups.has(key)) groups.set(key, { hour, op: e.op, source: e.source, events: [] });
    groups.get(key)!.events.push(e);
  }
  return [...groups.values()];
}

function plainMinutes(events: SourcedEvent[]): MinuteRow[] {
  const rows = new Map<string, MinuteRow>();
  for (const g of plainGroups(events)) {
    for (const e of g.events) {
      const minute = e.ts - (e.ts % MINUTE);
      const key = `${g.op}\u0000${g.source}\u0000${minute}`;
      if (!rows.has(key)) rows.set(key, { minute, op: g.op, source: g.source, ...emptySums() });
      const m = rows.get(key)!;
      m.count++;
      if (e.ok) m.okCount++;
      else m.errorCount++;
      if (e.durationMs !== null) {
        m.durCount++;
        m.durSum += e.durationMs;
        m.durMin = Math.min(m.durMin, e.durationMs);
        m.durMax = Math.max(m.durMax, e.durationMs);
      }
    }
  }
  return [...rows.values()];
}

// Events mostly in time order, as lines come, with jumps back and forth across minutes and hours, operations and
// sources interleaved: the grouping checks each event against its operation's previous group first.
const eventArb = fc.record({
  step: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: -2 * HOUR, max: 2 * HOUR })),
  op: fc.constantFrom('GET /a', 'POST /b', 'c', ''),
  source: fc.constantFrom('s1', 's2'),
  durationMs: fc.option(fc.double({ min: 0, max: 1e5, noNaN: true }), { nil: null }),
  ok: fc.boolean(),
});
const eventsArb = fc.array(eventArb, { maxLength: 300 }).map((xs) => {
  let ts = T0;
  return xs.map(({ step, ...e }): SourcedEvent => {
    ts = Math.max(0, ts + step);
    return { ts, ...e };
  });
});

describe('groupByHour and rollupGroups', () => {
  it('group and sum every event as a plain keyed grouping does, whatever the order of times, operations and sources', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const groups = groupByHour(events);
        expect(groups).toEqual(plainGroups(events));
        expect(rollupGroups(groups).minutes).toEqual(plainMinutes(events));
      }),
      { numRuns: 300 },
    );
  });
});
