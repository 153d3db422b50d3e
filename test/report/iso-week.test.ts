import { afterEach, describe, expect, test } from 'vitest';
import { isoWeekOf, lastFullIsoWeek, parseIsoWeek, previousIsoWeek } from '../../src/report/iso-week.js';

const DAY = 86_400_000;
const utc = (s: string) => Date.parse(s);

/** Independent oracle: an ISO week belongs to the year of its Thursday and is numbered from that year's first Thursday. */
function oracle(ms: number): { label: string; fromMs: number } {
  const midnight = Math.floor(ms / DAY) * DAY;
  const dow = (new Date(midnight).getUTCDay() + 6) % 7; // Monday 0
  const monday = midnight - dow * DAY;
  const thursday = new Date(monday + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY / 7) + 1;
  return { label: `${year}-W${String(week).padStart(2, '0')}`, fromMs: monday };
}

const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('ISO weeks in UTC', () => {
  test('the demo week', () => {
    const w = parseIsoWeek('2026-W46');
    expect([w.fromMs, w.toMs]).toEqual([utc('2026-11-09T00:00:00Z'), utc('2026-11-16T00:00:00Z')]);
    expect(previousIsoWeek(w).label).toBe('2026-W45');
  });

  test.each(['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'America/Santiago'])('agrees with the Thursday rule for 2019–2032 in TZ=%s', (tz) => {
    process.env.TZ = tz;
    // Node re-reads TZ when it is assigned; make sure the zone really changed, or the test proves nothing.
    expect(new Date(utc('2026-01-15T00:00:00Z')).getTimezoneOffset() !== 0).toBe(tz !== 'UTC');
    for (let ms = utc('2019-12-20T00:00:00Z'); ms < utc('2032-01-10T00:00:00Z'); ms += DAY / 2 + 3_600_000) {
      const w = isoWeekOf(ms);
      const o = oracle(ms);
      expect(w.label, new Date(ms).toISOString()).toBe(o.label);
      expect(w.fromMs).toBe(o.fromMs);
      expect(parseIsoWeek(w.label).fromMs).toBe(o.fromMs);
    }
  });

  test('years with 53 weeks accept W53, others refuse it', () => {
    expect(parseIsoWeek('2026-W53').fromMs).toBe(utc('2026-12-28T00:00:00Z'));
    expect(parseIsoWeek('2020w53').fromMs).toBe(utc('2020-12-28T00:00:00Z'));
    expect(() => parseIsoWeek('2025-W53')).toThrow('--week: 2025 has weeks W01 to W52, got "2025-W53"');
    expect(() => parseIsoWeek('2026-W00')).toThrow(/W01 to W53/);
    expect(() => parseIsoWeek('last week')).toThrow('--week: expected an ISO week such as 2026-W47, got "last week"');
  });

  test('the last full week before now', () => {
    expect(lastFullIsoWeek(utc('2026-11-22T23:24:00Z')).label).toBe('2026-W46');
    // On Monday at midnight the week that just ended is complete.
    expect(lastFullIsoWeek(utc('2026-11-23T00:00:00Z')).label).toBe('2026-W47');
    expect(lastFullIsoWeek(utc('2026-11-22T23:59:59.999Z')).label).toBe('2026-W46');
    expect(lastFullIsoWeek(utc('2027-01-04T10:00:00Z')).label).toBe('2026-W53');
  });
});
