import type { Comparison, Delta, Kpis } from '../analysis/analysis-document.js';
import { kpiValue } from '../analysis/compare.js';
import { formatMetric, formatMetricChange, metricKind, MISSING } from '../display/format-units.js';

/** Which direction of a metric is good news; "neither" for volume (more traffic is not better or worse). */
export type Better = 'higher' | 'lower' | 'neither';

/**
 * A change shown three ways so that it never relies on colour: the signed number, an arrow for the direction of
 * the number, and a word (better/worse) that depends on the metric; `tone` only picks the colour.
 */
export interface ChangeView {
  text: string;
  arrow: '↑' | '↓' | '→';
  tone: 'good' | 'bad' | 'neutral';
  verdict: 'better' | 'worse' | '';
}

export interface KpiRow {
  key: string;
  label: string;
  value: string;
  previous: string | null;
  change: ChangeView | null;
  baseline: string | null;
  baselineChange: ChangeView | null;
}

/** The KPI table's rows, keyed as in the analysis document's stat map and its KpiChange. */
const KPIS: Array<{ key: string; label: string; better: Better }> = [
  { key: 'count', label: 'Events', better: 'neither' },
  { key: 'throughput.meanPerMin', label: 'Throughput (mean)', better: 'neither' },
  { key: 'throughput.peakPerMin', label: 'Throughput (peak minute)', better: 'neither' },
  { key: 'successRate', label: 'Success rate', better: 'higher' },
  { key: 'errorRate', label: 'Error rate', better: 'lower' },
  { key: 'timeoutRate', label: 'Timeout rate', better: 'lower' },
  { key: 'retryRate', label: 'Retried events', better: 'lower' },
  { key: 'mean', label: 'Mean latency', better: 'lower' },
  { key: 'p50', label: 'p50 latency', better: 'lower' },
  { key: 'p90', label: 'p90 latency', better: 'lower' },
  { key: 'p95', label: 'p95 latency', better: 'lower' },
  { key: 'p99', label: 'p99 latency', better: 'lower' },
  { key: 'p999', label: 'p99.9 latency', better: 'lower' },
  { key: 'max', label: 'Max latency', better: 'lower' },
  { key: 'resources.memoryMb.max', label: 'Memory (max)', better: 'lower' },
  { key: 'resources.cpuPercent.max', label: 'CPU (max)', better: 'lower' },
  { key: 'resources.concurrency.max', label: 'Concurrency (max)', better: 'neither' },
];

/** Threshold metrics that are not KPI paths (config names: memory peak, mean throughput). */
const OTHER_LABELS: Record<string, string> = { memoryMb: 'Memory (max)', throughput: 'Throughput (mean)', cpuPercent: 'CPU (max)' };

/** A metric's name for people: "p95 latency" for p95, the key itself when it is unknown. */
export function metricLabel(metric: string): string {
  return KPIS.find((k) => k.key === metric)?.label ?? OTHER_LABELS[metric] ?? metric;
}

// Below these a change is shown as flat: a 0.3 % move of a p95 or 0.02 pp of an error rate is noise in a report.
const FLAT_REL = 0.005;
const FLAT_POINTS = 0.0005;

export function describeChange(metric: string, d: Delta | undefined, better: Better): ChangeView | null {
  if (!d || d.abs === null) return null;
  const isRate = metricKind(metric) === 'rate';
  const flat = d.abs === 0 || (isRate ? Math.abs(d.abs) < FLAT_POINTS : d.rel !== null && Math.abs(d.rel) < FLAT_REL);
  const text = formatMetricChange(metric, d);
  if (flat) return { text, arrow: '→', tone: 'neutral', verdict: '' };
  const up = d.abs > 0;
  if (better === 'neither') return { text, arrow: up ? '↑' : '↓', tone: 'neutral', verdict: '' };
  const good = (better === 'higher') === up;
  return { text, arrow: up ? '↑' : '↓', tone: good ? 'good' : 'bad', verdict: good ? 'better' : 'worse' };
}

/**
 * A comparison window without events has rates and percentiles of nothing (a 0 % success rate): its values are
 * shown as missing and no change is computed against them, only its event count (0) is.
 */
export function hasEvents(c: Comparison | null): boolean {
  return c !== null && c.overall.count > 0;
}

function side(c: Comparison | null, key: string, better: Better): { value: string | null; change: ChangeView | null } {
  if (c === null) return { value: null, change: null };
  if (!hasEvents(c)) return { value: key === 'count' ? formatMetric(key, c.overall.count) : MISSING, change: null };
  return { value: formatMetric(key, kpiValue(c.overall, key)), change: describeChange(key, c.change[key], better) };
}

export function kpiRows(overall: Kpis, previous: Comparison | null, baseline: Comparison | null): KpiRow[] {
  // Resource rows only when the logs carry the resource at all; the others always, so the table has one shape.
  return KPIS.filter((k) => !k.key.startsWith('resources.') || kpiValue(overall, k.key) !== null).map((k) => {
    const p = side(previous, k.key, k.better);
    const b = side(baseline, k.key, k.better);
    return {
      key: k.key, label: k.label, value: formatMetric(k.key, kpiValue(overall, k.key)),
      previous: p.value, change: p.change, baseline: b.value, baselineChange: b.change,
    };
  });
}
