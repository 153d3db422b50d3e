import { describe, expect, test } from 'vitest';
import { renderBarChart } from '../../src/report/charts/bar-chart.js';
import { renderLineChart, type LineChartSpec } from '../../src/report/charts/line-chart.js';
import { niceCeil, timeTicks } from '../../src/report/charts/scale.js';
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
    // Plot area: x 64..706 over 4 hours, y 30..186 (height 156) over 0..50 (the next round number above 40).
    const x = (i: number) => 64 + ((i + 0.5) / 4) * 642;
    const y = (v: number) => 30 + 156 - (v / 50) * 156;
    [10, 20, 40, 30].forEach((v, i) => {
      expect(pts[i][0]).toBeCloseTo(x(i), 0);
      expect(pts[i][1]).toBeCloseTo(y(v), 0);
    });
    expect(svg).toContain('>50 ms</text>');
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

  test('round maxima', () => {
    expect([0.7, 1, 1.2, 3, 4.1, 7, 15, 40, 101].map(niceCeil)).toEqual([1, 1, 2, 5, 5, 10, 20, 50, 200]);
  });
});

describe('bar chart', () => {
  test('bar lengths are proportional to the values and labels escaped', () => {
    const svg = renderBarChart({ id: 'b', title: 'x', formatValue: String, bars: [{ label: 'timeout', value: 15 }, { label: '<i>', value: 5 }] });
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect(widths[0] / widths[1]).toBeCloseTo(3, 5);
    expect(svg).toContain('&lt;i&gt;');
    expect(svg).not.toContain('<i>');
  });
});

describe('text sparkline', () => {
  test('maps min..max onto the eight blocks', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7]).chars).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, null, 5]).chars).toBe('▄ ▄');
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
