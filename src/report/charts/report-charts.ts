import type { ChartData } from '../view-model.js';
import { formatCount, formatDuration, formatMetric, formatPercent, formatPerMinute } from '../../display/format-units.js';
import { renderBarChart, type BarChartSpec } from './bar-chart.js';
import { inBothLayouts } from './layout.js';
import { renderLineChart, type LineChartSpec } from './line-chart.js';
import { sparkline } from './sparkline.js';

export interface ReportCharts {
  latency: string;
  throughput: string;
  errorRate: string;
  categories: string;
}

const lines = (spec: LineChartSpec) => inBothLayouts((layout, id) => renderLineChart(spec, layout, id(spec.id)));
const bars = (spec: BarChartSpec) => inBothLayouts((layout, id) => renderBarChart(spec, layout, id(spec.id)));

/** The HTML report's four charts, as SVG markup, each in a wide and a narrow drawing. */
export function reportCharts(c: ChartData): ReportCharts {
  const time = { t: c.t, stepMs: c.stepMs, fromMs: c.fromMs, toMs: c.toMs, markers: c.markers };
  return {
    latency: lines({
      ...time, id: 'chart-latency', title: 'Latency percentiles over time (p50, p95, p99)', formatY: formatDuration, emptyMax: 1, allowLog: true,
      series: [
        { name: 'p50', values: c.p50, color: '#2f7ed8', cls: 's1' },
        { name: 'p95', values: c.p95, color: '#e8892b', cls: 's2' },
        { name: 'p99', values: c.p99, color: '#c0392b', cls: 's3' },
      ],
    }),
    throughput: lines({
      ...time, id: 'chart-throughput', title: 'Throughput over time (mean operations per minute)', formatY: formatPerMinute, emptyMax: 1, area: true,
      series: [{ name: 'operations/min', values: c.throughput, color: '#2f7ed8', cls: 's1' }],
    }),
    errorRate: lines({
      ...time, id: 'chart-errors', title: 'Error rate over time', formatY: formatPercent, emptyMax: 0.01, area: true,
      series: [{ name: 'error rate', values: c.errorRate, color: '#c0392b', cls: 's3' }],
    }),
    categories: bars({
      id: 'chart-categories', title: 'Failures by error category',
      bars: c.categories.map((x) => ({ label: x.label, value: x.count })), formatValue: formatCount,
    }),
  };
}

export interface SparkRow {
  label: string;
  chars: string;
  min: string;
  max: string;
}

/** The Markdown report's sparklines, with the range each one spans and how long one character is. */
export function reportSparklines(c: ChartData): { rows: SparkRow[]; perChar: string } {
  const rows: Array<[string, string, ReadonlyArray<number | null>]> = [
    ['p95 latency', 'p95', c.p95],
    ['p99 latency', 'p99', c.p99],
    ['throughput', 'throughput.meanPerMin', c.throughput],
    ['error rate', 'errorRate', c.errorRate],
  ];
  let perChar = 1;
  const out = rows.map(([label, metric, values]) => {
    const s = sparkline(values);
    perChar = s.perChar;
    return { label, chars: s.chars, min: formatMetric(metric, s.min), max: formatMetric(metric, s.max) };
  });
  return { rows: out, perChar: formatDuration(perChar * c.stepMs) };
}
