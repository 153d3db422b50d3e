import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  formatBytes, formatCount, formatDuration, formatMetric, formatMetricChange, formatPercent, formatPerMinute, formatRelChange, formatMinute, formatRange, metricKind,
} from '../../src/display/format-units.js';

describe('formatDuration picks the unit that keeps a duration short', () => {
  test.each([
    [0, '0 ms'], [0.4234, '0.423 ms'], [7.25, '7.25 ms'], [87, '87 ms'], [123.4, '123 ms'], [999.4, '999 ms'],
    [999.6, '1 s'], [1250, '1.25 s'], [30_000, '30 s'], [59_990, '1 min'], [150_000, '2.5 min'],
    [3_600_000, '1 h'], [5.5 * 3_600_000, '5.5 h'], [7 * 86_400_000, '7 d'],
  ])('%s ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  test('missing values are a dash, never NaN', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('rates, counts and changes', () => {
  test('percentages get two decimals near 0 % and 100 %', () => {
    expect(formatPercent(0.0025)).toBe('0.25 %');
    expect(formatPercent(0.123)).toBe('12.3 %');
    expect(formatPercent(0.9995)).toBe('99.95 %');
    expect(formatPercent(1)).toBe('100 %');
    expect(formatPercent(0)).toBe('0 %');
  });
  test('counts have separators, throughput a unit', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(-1234.5)).toBe('-1,234');
    expect(formatPerMinute(0.0992)).toBe('0.0992/min');
    expect(formatPerMinute(1234.5)).toBe('1235/min');
  });
  test('counts are grouped as toLocaleString(\'en-US\') groups them, for any number', () => {
    const same = (n: number) => {
      expect(formatCount(n)).toBe(Math.round(n).toLocaleString('en-US'));
    };
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), same), { numRuns: 2000 });
    fc.assert(fc.property(fc.integer({ min: -1e7, max: 1e10 }), same));
    fc.assert(fc.property(fc.integer({ min: 0, max: 25 }), fc.double({ min: 1, max: 10, noNaN: true }), (e, m) => same(m * 10 ** e)));
  });
  test('relative changes are signed with a real minus sign', () => {
    expect(formatRelChange(0.201)).toBe('+20.1 %');
    expect(formatRelChange(-0.03)).toBe('−3 %');
    expect(formatRelChange(2.5)).toBe('+250 %');
    expect(formatRelChange(0)).toBe('±0 %');
  });
  test('rate changes are in percentage points, others relative', () => {
    expect(formatMetricChange('errorRate', { abs: 0.012, rel: 1.2 })).toBe('+1.2 pp');
    expect(formatMetricChange('p95', { abs: 50, rel: 0.25 })).toBe('+25 %');
    expect(formatMetricChange('p95', { abs: -50, rel: null })).toBe('−50 ms');
  });
});

describe('metrics are read by their name', () => {
  test.each([
    ['p95', 'duration'], ['p999', 'duration'], ['mean', 'duration'], ['errorRate', 'rate'], ['successRate', 'rate'],
    ['count', 'count'], ['durationCount', 'count'], ['throughput.meanPerMin', 'perMinute'], ['resources.memoryMb.max', 'megabytes'],
    ['resources.cpuPercent.max', 'percent'], ['retriesPerEvent', 'number'], ['resources.concurrency.max', 'number'],
  ])('%s is a %s', (metric, kind) => expect(metricKind(metric)).toBe(kind));
  test('formatMetric uses the unit', () => {
    expect(formatMetric('p99', 1500)).toBe('1.5 s');
    expect(formatMetric('timeoutRate', 0.05)).toBe('5 %');
    expect(formatMetric('resources.memoryMb.max', 512.4)).toBe('512 MB');
  });
});

test('times are UTC to the minute', () => {
  const from = Date.UTC(2026, 10, 9);
  expect(formatMinute(Date.UTC(2026, 10, 20, 14, 5, 59))).toBe('2026-11-20 14:05Z');
  expect(formatRange(from, from + 7 * 86_400_000)).toBe('2026-11-09 00:00Z – 2026-11-16 00:00Z (7 d)');
});

describe('formatBytes: one formatter for every size shown', () => {
  test.each([
    [0, '0 B'], [512, '512 B'], [999, '999 B'], [1000, '1.0 kB'], [1500, '1.5 kB'], [999_960, '1.0 MB'],
    [12_345_678, '12.3 MB'], [5e9, '5.0 GB'], [5_000_000_000_000, '5.0 TB'],
  ])('%s bytes → %s', (b, text) => expect(formatBytes(b)).toBe(text));
  test('missing is a dash', () => expect(formatBytes(undefined)).toBe('—'));
});
