import { describe, expect, test } from 'vitest';
import { renderBarChart } from '../../src/report/charts/bar-chart.js';
import { renderLineChart, type LineChartSpec } from '../../src/report/charts/line-chart.js';
import { timeTickLabel, timeTicks, valueAxis } from '../../src/report/charts/scale.js';
import { setDisplayTimeZone } from '../../src/display/format-units.js';
import { sparkline } from '../../src/report/charts/sparkline.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 9);

function spec(values: Array<number | null>, over: Partial<LineChartSpec> = {}): LineChartSpec {
  return {
    id: 'c', title: 'latency', t: values.map((_, i) => T0 + i * HOUR), stepMs: HOUR, fromMs: T0, toMs: T0 + values.length * HOUR,
    series: [{ name: 'p95', values, color: '#000', cls: 's1' }], formatY: (v) => `${v} ms`, emptyMax: 1, ...over,
  };
}

const paths = (svg: string) => [...svg.matchAll(/<path class="line[^"]*" d="([^"]+)"/g)].map((m) => m[1]);
const points = (d: string) => [...d.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

describe('line chart', () => {
  test('draws each value at the middle of its bucket, y from zero to a round maximum', () => {
    const svg = renderLineChart(spec([10, 20, 40, 30]));
    const [d] = paths(svg);
    const pts = points(d);
    expect(pts).toHaveLength(4);
    // Plot area: x 64..706 over 4 hours, y 30..194 (height 164) over 0..40 (ticks 0, 10, … 40).
    const x = (i: number) => 64 + ((i + 0.5) / 4) * 642;
    const y = (v: number) => 30 + 164 - (v / 40) * 164;
    [10, 20, 40, 30].forEach((v, i) => {
      expect(pts[i][0]).toBeCloseTo(x(i), 0);
      expect(pts[i][1]).toBeCloseTo(y(v), 0);
    });
    expect(svg).toContain('>40 ms</text>');
    expect(svg).toContain('>10 ms</text>');
    expect(svg).toContain('>0 ms</text>');
  });

  test('a missing value splits the line; a lone value becomes a dot', () => {
    const svg = renderLineChart(spec([1, 2, null, 4, null, 6, 7]));
    expect(paths(svg).map((d) => points(d).length)).toEqual([2, 2]);
    expect(svg.match(/<circle /g)).toHaveLength(1);
  });

  test('a window with no values says so instead of drawing an empty frame', () => {
    const svg = renderLineChart(spec([null, null]));
    expect(paths(svg)).toHaveLength(0);
    expect(svg).toContain('no data in this window');
  });

  test('labels are escaped', () => {
    const svg = renderLineChart(spec([1], { title: '<b>t</b>', series: [{ name: '<script>', values: [1], color: '#000', cls: 's1' }] }));
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;');
  });

  test('a week gets one tick per UTC day', () => {
    const { ticks, stepMs } = timeTicks(T0, T0 + 7 * 24 * HOUR);
    expect(stepMs).toBe(24 * HOUR);
    expect(ticks.map((t) => new Date(t).toISOString().slice(0, 10))).toEqual(
      ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14', '2026-11-15', '2026-11-16']);
  });

  test('value ticks fall on round numbers', () => {
    const ticks = (max: number) => valueAxis([0, max], { bottom: 100, top: 0, emptyMax: 1 }).ticks;
    expect(ticks(7.5)).toEqual([0, 2, 4, 6, 8]);
    expect(ticks(6.25)).toEqual([0, 2, 4, 6, 8]);
    expect(ticks(40)).toEqual([0, 10, 20, 30, 40]);
    expect(ticks(0.038)).toEqual([0, 0.01, 0.02, 0.03, 0.04]);
    expect(ticks(101)).toEqual([0, 20, 40, 60, 80, 100, 120]);
    // Every tick is a 1, 2 or 5 step: no 0.625 or 1.875.
    for (const max of [0.7, 1.2, 3, 4.1, 7, 15, 1.3, 2.5, 6.25, 1234]) {
      const t = ticks(max);
      const step = t[1] - t[0];
      expect(Number((step / 10 ** Math.floor(Math.log10(step))).toFixed(9)), `max ${max}: ${t}`).toBeOneOf([1, 2, 5]);
    }
  });

  test('latency spanning more than a factor of 20 gets a log axis with 1-2-5 or power-of-ten ticks', () => {
    const a = valueAxis([80, 95, 120, 4000, 10_000], { bottom: 100, top: 0, emptyMax: 1, allowLog: true });
    expect(a.log).toBe(true);
    expect(a.ticks).toEqual([10, 100, 1000, 10_000]);
    expect(a.y(10)).toBeCloseTo(100);
    expect(a.y(100)).toBeCloseTo(100 - 100 / 3);
    expect(a.y(0)).toBeCloseTo(100); // clamped to the bottom
    expect(valueAxis([80, 95, 120, 1500], { bottom: 100, top: 0, emptyMax: 1, allowLog: true }).log).toBe(false);
    expect(valueAxis([50, 300], { bottom: 100, top: 0, emptyMax: 1, allowLog: true }).ticks).toEqual([0, 100, 200, 300]);
  });

  test('a 30-minute window gets 5-minute ticks with the date under the first', () => {
    const from = T0 + 13 * HOUR + 50 * 60_000;
    const { ticks, stepMs } = timeTicks(from, from + 30 * 60_000);
    expect(stepMs).toBe(5 * 60_000);
    expect(ticks.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['13:50', '13:55', '14:00', '14:05', '14:10', '14:15', '14:20']);
    expect(timeTickLabel(ticks[0], stepMs, null)).toEqual(['13:50', 'Mon 11-09']);
    expect(timeTickLabel(ticks[1], stepMs, ticks[0])).toEqual(['13:55', '']);
  });

  test('a tick crossing midnight repeats the date', () => {
    const from = T0 - 3 * HOUR;
    const { ticks, stepMs } = timeTicks(from, from + 6 * HOUR);
    const labels = ticks.map((t, i) => timeTickLabel(t, stepMs, i ? ticks[i - 1] : null));
    expect(labels.find(([time]) => time === '00:00')).toEqual(['00:00', 'Mon 11-09']);
    expect(labels[0]).toEqual(['21:00', 'Sun 11-08']);
  });

  test('seven-day steps fall on ISO Mondays', () => {
    // 2026-10-01 (a Thursday) to 2026-12-31: weekly ticks, each a Monday.
    const { ticks, stepMs } = timeTicks(Date.UTC(2026, 9, 1), Date.UTC(2026, 11, 31), 14);
    expect(stepMs).toBe(7 * 24 * HOUR);
    expect(ticks.length).toBeGreaterThan(10);
    for (const t of ticks) expect(new Date(t).getUTCDay()).toBe(1);
    expect(new Date(ticks[0]).toISOString().slice(0, 10)).toBe('2026-10-05');
  });

  test('--tz puts day ticks on the zone\'s midnight and labels them in the zone', () => {
    setDisplayTimeZone('America/New_York');
    try {
      const { ticks, stepMs } = timeTicks(T0, T0 + 7 * 24 * HOUR);
      expect(stepMs).toBe(24 * HOUR);
      // New York is UTC−5 in November: its midnights are 05:00Z.
      expect(ticks.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(Array(7).fill('05:00'));
      expect(timeTickLabel(ticks[0], stepMs, null)).toEqual(['Mon', '11-09']);
      const svg = renderLineChart(spec([1, 2, 3]));
      expect(svg).toContain('America/New_York');
    } finally {
      setDisplayTimeZone(undefined);
    }
  });

  test('a marker is drawn at its instant with its label; one outside the window is left out', () => {
    const svg = renderLineChart(spec([1, 2, 3, 4], { markers: [{ t: T0 + HOUR, label: '--at 01:00', kind: 'at' }, { t: T0 + 9 * HOUR, label: 'later', kind: 'at' }] }));
    const lines = [...svg.matchAll(/<line class="marker marker-at" x1="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBeCloseTo(64 + 642 / 4, 0);
    expect(svg).toContain('>--at 01:00</text>');
    expect(svg).not.toContain('later');
  });
});

describe('bar chart', () => {
  test('bar lengths are proportional to the values and labels escaped', () => {
    const svg = renderBarChart({ id: 'b', title: 'x', formatValue: String, bars: [{ label: 'timeout', value: 15 }, { label: '<i>', value: 5 }] });
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect(widths[0] / widths[1]).toBeCloseTo(3, 2); // to the drawn tenth of a unit
    expect(svg).toContain('&lt;i&gt;');
    expect(svg).not.toContain('<i>');
  });
});

describe('text sparkline', () => {
  test('maps zero..max onto the eight blocks', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7]).chars).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, null, 5]).chars).toBe('█ █');
    // 1.20 to 1.25 per minute is a flat line near the top, not a swing from bottom to top.
    expect(sparkline([1.2, 1.25, 1.22, 1.2]).chars).toBe('████');
    expect(sparkline([1, 2, 4]).chars).toBe('▃▅█');
    expect(sparkline([0, 0, 0]).chars).toBe('▁▁▁');
    expect(sparkline([null, null]).chars).toBe('  ');
  });

  test('folds a long series, keeping the largest value of each group so a spike shows', () => {
    const values = Array.from({ length: 168 }, (_, i) => (i === 100 ? 50 : 1));
    const s = sparkline(values, 42);
    expect(s.perChar).toBe(4);
    expect(s.chars).toHaveLength(42);
    expect(s.chars[25]).toBe('█');
    expect(s.chars.replace('█', '')).toMatch(/^▁+$/);
    expect([s.min, s.max]).toEqual([1, 50]);
  });
});

test('partial buckets at the window edges are drawn at the middle of their part inside the window', () => {
  // Window 13:05–15:05 with hourly buckets starting 13:00, 14:00, 15:00: middles 13:32:30, 14:30, 15:02:30.
  const from = T0 + 13 * HOUR + 5 * 60_000;
  const svg = renderLineChart(spec([1, 1, 1], { t: [T0 + 13 * HOUR, T0 + 14 * HOUR, T0 + 15 * HOUR], fromMs: from, toMs: from + 2 * HOUR }));
  const xs = points(paths(svg)[0]).map(([x]) => x);
  const x = (ms: number) => 64 + ((ms - from) / (2 * HOUR)) * 642;
  expect(xs[0]).toBeCloseTo(x(T0 + 13.5 * HOUR + 2.5 * 60_000), 0);
  expect(xs[1]).toBeCloseTo(x(T0 + 14.5 * HOUR), 0);
  expect(xs[2]).toBeCloseTo(x(T0 + 15 * HOUR + 2.5 * 60_000), 0);
});
