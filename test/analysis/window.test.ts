import { describe, expect, it } from 'vitest';
import { parseWindow } from '../../src/cli/window-flags.js';
import { UsageError } from '../../src/errors.js';

const NOW = '2026-11-16T12:00:00Z';
const now = Date.parse(NOW);
const H = 3_600_000;

describe('parseWindow', () => {
  it('counts --days and --hours back from now, and defaults to 7 days', () => {
    expect(parseWindow({ days: '7', now: NOW })).toEqual({ fromMs: now - 168 * H, toMs: now, nowMs: now });
    expect(parseWindow({ hours: '36', now: NOW })).toEqual({ fromMs: now - 36 * H, toMs: now, nowMs: now });
    expect(parseWindow({ days: '0.5', now: NOW }).fromMs).toBe(now - 12 * H);
    expect(parseWindow({ now: NOW }).fromMs).toBe(now - 168 * H);
  });

  it('reads --since/--until as ISO-8601 (no zone = UTC, a date = midnight) or as an age before now', () => {
    expect(parseWindow({ since: '2026-11-09', until: '2026-11-16T00:00', now: NOW })).toMatchObject({
      fromMs: Date.UTC(2026, 10, 9), toMs: Date.UTC(2026, 10, 16),
    });
    expect(parseWindow({ since: '36h', now: NOW })).toMatchObject({ fromMs: now - 36 * H, toMs: now });
    expect(parseWindow({ since: '7d', until: '90m', now: NOW })).toMatchObject({ fromMs: now - 168 * H, toMs: now - 1.5 * H });
    expect(parseWindow({ since: '2026-11-16T10:00:00+02:00', now: NOW }).fromMs).toBe(Date.UTC(2026, 10, 16, 8));
  });

  it('--since with --days counts forward, --until with --hours counts back', () => {
    expect(parseWindow({ since: '2026-11-09', days: '7', now: NOW })).toMatchObject({ fromMs: Date.UTC(2026, 10, 9), toMs: Date.UTC(2026, 10, 16) });
    expect(parseWindow({ until: '2026-11-16', hours: '2', now: NOW })).toMatchObject({ fromMs: Date.UTC(2026, 10, 15, 22), toMs: Date.UTC(2026, 10, 16) });
  });

  it('bad values are usage errors that name the flag and the value', () => {
    const bad: Array<[Parameters<typeof parseWindow>[0], string]> = [
      [{ days: 'seven', now: NOW }, '--days: expected a positive number, got "seven"'],
      [{ days: '-1', now: NOW }, '--days: expected a positive number, got "-1"'],
      [{ hours: '', now: NOW }, '--hours: expected a positive number, got ""'],
      [{ since: 'yesterday', now: NOW }, '--since: expected an ISO-8601 time or an age such as 36h, 7d, 90m, got "yesterday"'],
      [{ until: '17', now: NOW }, '--until: expected an ISO-8601 time or an age such as 36h, 7d, 90m, got "17"'],
      [{ now: 'soon' }, '--now: expected an ISO-8601 time such as 2026-11-16T00:00:00Z, got "soon"'],
    ];
    for (const [flags, message] of bad) {
      expect(() => parseWindow(flags)).toThrowError(UsageError);
      expect(() => parseWindow(flags)).toThrowError(message);
    }
    expect(() => parseWindow({ days: '1', hours: '2', now: NOW })).toThrowError(/cannot be combined/);
    expect(() => parseWindow({ since: '1h', until: '2h', now: NOW })).toThrowError(/window is empty/);
    expect(() => parseWindow({ since: '2026-11-01', until: '2026-11-02', days: '1', now: NOW })).toThrowError(/over-determine/);
  });
});
