import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../src/ingest/normalize/parse-timestamp.js';

// parseTimestamp reads the seconds and fraction of consecutive ISO timestamps against a cached minute and zone.
// Whatever the order of the lines, each must read as the ISO rule reads it on its own: the date and time with the
// fraction cut to milliseconds, no zone meaning UTC, through Date.parse (null when unreadable or out of range).
function expected(s: string): number | null {
  const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:[.,](\d+))?(.*)$/.exec(s);
  if (!m) throw new Error(`generated an unexpected shape: ${s}`);
  const [, date, time, frac, zone] = m;
  const fraction = frac ? '.' + frac.slice(0, 3).padEnd(3, '0') : '';
  const ms = Date.parse(`${date}T${time}${fraction}${zone.trim() || 'Z'}`);
  if (!Number.isFinite(ms) || ms < 0 || ms >= Date.UTC(2200, 0, 1)) return null;
  return Math.floor(ms + 1e-3);
}

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
const zoneArb = fc.oneof(
  fc.constantFrom('', 'Z', 'z', ' Z', 'Z '),
  fc.tuple(fc.constantFrom('+', '-'), two(25), two(61), fc.constantFrom(':', '')).map(([sign, h, m, colon]) => `${sign}${h}${colon}${m}`),
);
/** A date and minute: mostly valid parts, with hours 24–25, minutes 60–61, day 0 and 31–32 and month 13 mixed in. */
const minuteArb = fc
  .record({ year: fc.constantFrom('1969', '1970', '2026', '2027', '2199', '2200'), month: two(13), day: two(32), sep: fc.constantFrom('T', ' '), hour: two(25), minute: two(61) })
  .map((t) => `${t.year}-${t.month}-${t.day}${t.sep}${t.hour}:${t.minute}`);
/** The rest of a timestamp after its minute: seconds (60–61 too), an optional fraction, a zone. */
const restArb = fc
  .record({ second: two(61), fraction: fc.option(fc.tuple(fc.constantFrom('.', ','), fc.stringMatching(/^\d{1,12}$/)), { nil: undefined }), zone: zoneArb })
  .map((t) => `:${t.second}${t.fraction ? t.fraction.join('') : ''}${t.zone}`);
/** Runs of timestamps that share their minute, as log lines do, their seconds, fractions and zones varying. */
const runArb = fc.tuple(minuteArb, fc.array(restArb, { minLength: 1, maxLength: 6 })).map(([minute, rests]) => rests.map((r) => minute + r));

describe('parseTimestamp on runs of ISO timestamps', () => {
  it('reads every timestamp as the ISO rule does, whatever came before it', () => {
    fc.assert(
      fc.property(fc.array(runArb, { minLength: 1, maxLength: 12 }), (runs) => {
        for (const s of runs.flat()) expect(parseTimestamp(s), s).toBe(expected(s));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps minutes and zones apart: the same clock time in two zones, one after the other', () => {
    const lines = ['2026-11-09T10:00:05+02:00', '2026-11-09T10:00:06Z', '2026-11-09T10:00:07', '2026-11-09T10:00:08-05:30', '2026-11-09 10:00:09.5'];
    expect(lines.map(parseTimestamp)).toEqual([
      Date.UTC(2026, 10, 9, 8, 0, 5),
      Date.UTC(2026, 10, 9, 10, 0, 6),
      Date.UTC(2026, 10, 9, 10, 0, 7),
      Date.UTC(2026, 10, 9, 15, 30, 8),
      Date.UTC(2026, 10, 9, 10, 0, 9, 500),
    ]);
  });
});
