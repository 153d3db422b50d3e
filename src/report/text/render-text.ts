import {
  formatCount, formatDuration, formatMetric, formatMetricChange, formatNumber, formatPercent, formatPerMinute,
  formatRelChange, formatMinute, formatRange,
} from '../../display/format-units.js';
import type { AnalysisDocument, Comparison, Kpis, Level } from '../../analysis/analysis-document.js';
import { RESOLUTIONS } from '../../analysis/resolution.js';
import { safe, table } from './table.js';
import { MINUTE_MS } from '../../core/time.js';

/** Colours the summary may use; the CLI's palette fits (plain functions when colour is off). */
export interface Paint {
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  green: (s: string) => string;
}

/** Rows of the per-group table; the JSON document has them all. */
const MAX_GROUPS = 20;
const MAX_ERROR_GROUPS = 5;
const MAX_RECOMMENDATIONS = 5;

/** The terminal summary of `oplens analyze`: a pure function of the document. */
export function renderText(doc: AnalysisDocument, p: Paint): string {
  const out: string[] = [];
  const o = doc.overall;
  const filters = [doc.filters.op && `op ${safe(doc.filters.op)}`, doc.filters.source && `source ${safe(doc.filters.source)}`].filter(Boolean).join(', ');
  out.push(p.bold(`oplens analyze  ${formatRange(doc.window.fromMs, doc.window.toMs)}`) + (filters ? `  (${filters})` : ''));
  const status = { healthy: p.green, attention: p.yellow, critical: p.red }[doc.verdict.status](doc.verdict.status.toUpperCase());
  out.push(`Verdict: ${status}  ${safe(doc.verdict.summary)}`, '');

  out.push(p.bold('Overall'));
  out.push(...indent(table([
    ['events', `${formatCount(o.count)}  (${formatCount(o.errorCount)} failed, ${formatCount(o.timeoutCount)} timed out)`],
    ['rates', `success ${formatPercent(o.successRate)}  errors ${formatPercent(o.errorRate)}  timeouts ${formatPercent(o.timeoutRate)}  retried ${formatPercent(o.retryRate)}`],
    ['throughput', `${formatPerMinute(o.throughput.meanPerMin)} mean, ${formatPerMinute(o.throughput.peakPerMin)} peak${o.throughput.peakMinute !== null ? ` (${formatMinute(o.throughput.peakMinute)})` : ''}`],
    ['latency', latencyLine(o)],
    ...resourceRows(o),
  ])));
  out.push('');

  if (doc.operations.length) {
    const title = doc.groupBy === 'op' ? 'Operations' : doc.groupBy === 'source' ? 'Sources' : `By ${safe(doc.groupBy)}`;
    out.push(p.bold(`${title} (${doc.operations.length})`));
    const rows = doc.operations.slice(0, MAX_GROUPS).map((g) => [
      safe(g.op), formatCount(g.count), formatPercent(g.errorRate), formatDuration(g.p50), formatDuration(g.p95),
      formatDuration(g.p99), formatDuration(g.max), g.change ? formatRelChange(g.change.p95?.rel) : '',
    ]);
    out.push(...indent(table([[doc.groupBy === 'op' ? 'operation' : safe(doc.groupBy), 'count', 'errors', 'p50', 'p95', 'p99', 'max', 'p95 Δ'], ...rows], { right: [1, 2, 3, 4, 5, 6, 7] })));
    if (doc.operations.length > MAX_GROUPS) out.push(p.dim(`  … ${doc.operations.length - MAX_GROUPS} more (--format json has them all)`));
    out.push('');
  }

  if (doc.errorCategories.length) {
    out.push(p.bold(`Errors by category (${formatCount(o.errorCount)} failures)`));
    out.push(...indent(table(doc.errorCategories.map((c) => [
      safe(c.category), formatCount(c.count), formatPercent(c.share), c.ops.slice(0, 3).map((x) => `${safe(x.op)} ${formatCount(x.count)}`).join(', ') + (c.ops.length > 3 ? ', …' : ''),
    ]), { right: [1, 2] })));
    out.push(p.bold('Top error groups'));
    out.push(...indent(table(doc.errorGroups.slice(0, MAX_ERROR_GROUPS).map((g) => [
      formatCount(g.count), safe(g.category), safe(g.op), quote(g.example || g.fingerprint), `last ${formatMinute(g.lastSeen)}`,
    ]), { right: [0] })));
    out.push('');
  }

  for (const c of [doc.comparison.previous, doc.comparison.baseline]) if (c) out.push(...comparisonLines(c, p), '');
  out.push(...trendLines(doc, p), '');
  if (doc.changes.length) out.push(...changeLines(doc, p), '');

  const breaches = doc.thresholds.filter((t) => t.level !== 'ok');
  out.push(p.bold(`Thresholds (${breaches.length} of ${doc.thresholds.length} checks breached)`));
  if (breaches.length) {
    out.push(...indent(table(breaches.map((t) => {
      const limit = t.level === 'critical' ? t.critical : t.warning ?? t.target;
      return [
        levelText(t.level, p), t.metric, safe(t.op), t.value === null ? 'no data' : formatMetric(t.metric, t.value),
        `${t.worse === 'higher' ? '>' : '<'} ${limit === undefined ? '' : formatMetric(t.metric, limit)}`,
      ];
    }), { right: [3] })));
  }
  out.push('');

  if (doc.recommendations.length) {
    out.push(p.bold(`Recommendations (${doc.recommendations.length})`));
    doc.recommendations.slice(0, MAX_RECOMMENDATIONS).forEach((r, i) => {
      const sev = r.severity === 'critical' || r.severity === 'high' ? p.red(r.severity) : r.severity === 'medium' ? p.yellow(r.severity) : p.dim(r.severity);
      out.push(`  ${i + 1}. [${sev}] ${safe(r.title)}`, `     ${safe(r.action)}`, ...r.commands.map((c) => `     $ ${safe(c)}`));
    });
    if (doc.recommendations.length > MAX_RECOMMENDATIONS) out.push(p.dim(`  … ${doc.recommendations.length - MAX_RECOMMENDATIONS} more in the reports and --format json`));
    out.push('');
  }

  out.push(qualityLine(doc));
  out.push(p.dim(`Method: ${doc.method.description}`));
  return out.join('\n') + '\n';
}

function latencyLine(k: Kpis): string {
  if (k.durationCount === 0) return 'no durations';
  const parts: Array<[string, number | null]> = [['mean', k.mean], ['p50', k.p50], ['p90', k.p90], ['p95', k.p95], ['p99', k.p99], ['p99.9', k.p999], ['max', k.max]];
  return parts.map(([n, v]) => `${n} ${formatDuration(v)}`).join('  ');
}

function resourceRows(k: Kpis): string[][] {
  const r = k.resources;
  const rows: string[][] = [];
  if (r.memoryMb) rows.push(['memory', `${formatMetric('memoryMb', r.memoryMb.max)} peak, ${formatMetric('memoryMb', r.memoryMb.mean)} mean`]);
  if (r.cpuPercent) rows.push(['cpu', `${formatMetric('cpuPercent', r.cpuPercent.max)} peak, ${formatMetric('cpuPercent', r.cpuPercent.mean)} mean`]);
  if (r.concurrency) rows.push(['concurrency', `${formatNumber(r.concurrency.max)} peak, ${formatNumber(r.concurrency.mean)} mean`]);
  return rows;
}

/** The KPIs people compare first, then the regressions. */
function comparisonLines(c: Comparison, p: Paint): string[] {
  const keys = ['count', 'successRate', 'errorRate', 'p50', 'p95', 'p99', 'throughput.meanPerMin'];
  const out = [p.bold(`Against ${c.label} (${formatRange(c.window.fromMs, c.window.toMs)})`)];
  if (c.overall.count === 0) return [...out, '  no events there to compare with'];
  out.push('  ' + keys.filter((k) => c.change[k]).map((k) => `${k === 'throughput.meanPerMin' ? 'throughput' : k} ${formatMetricChange(k, c.change[k])}`).join('  '));
  for (const r of c.regressions) {
    out.push(`  ${p.red('regression')} ${safe(r.op)}: p95 ${formatDuration(r.before)} → ${formatDuration(r.after)} (${formatRelChange(r.rel)})`);
  }
  return out;
}

/** What changed, when and where: one line per change, onset and attribution first. */
function changeLines(doc: AnalysisDocument, p: Paint): string[] {
  return [p.bold(`What changed (${doc.changes.length})`), ...doc.changes.map((c) => `  ${c.onsetMs !== null ? p.yellow(formatMinute(c.onsetMs)) : p.dim('no onset')}  ${safe(c.summary)}`)];
}

function trendLines(doc: AnalysisDocument, p: Paint): string[] {
  const t = doc.trends;
  const step = RESOLUTIONS[t.resolution].unit;
  const out = [p.bold(`Trends (${RESOLUTIONS[t.resolution].adjective}, ${t.series.length} buckets)`)];
  const significant = t.tests.filter((x) => x.significant);
  out.push('  ' + (significant.length
    ? significant.map((x) => `${x.metric} ${x.direction === 'up' ? '↑' : '↓'} ${x.relSlopePerStep !== null ? formatRelChange(x.relSlopePerStep) : formatMetric(x.metric, x.slopePerStep)}/${step} (p = ${x.pValue.toPrecision(2)})`).join('  ')
    : `no significant trend in ${t.tests.map((x) => x.metric).join(', ') || 'any metric'}`));
  for (const c of t.changePoints) {
    out.push(`  change point: ${c.metric}${c.op ? ` of ${safe(c.op)}` : ''} at ${formatMinute(c.at)}: ${formatMetric(c.metric, c.before)} → ${formatMetric(c.metric, c.after)}`);
  }
  for (const s of t.spikes) {
    const top = s.topGroup ? `; top: ${safe(s.topGroup.category)} in ${safe(s.topGroup.op)} ${quote(s.topGroup.example || s.topGroup.fingerprint)}` : '';
    out.push(`  ${p.yellow('error spike')} ${formatMinute(s.at)}: ${formatPercent(s.errorRate)} of ${formatCount(s.count)} vs typical ${formatPercent(s.typicalErrorRate)}${top}`);
  }
  return out;
}

function qualityLine(doc: AnalysisDocument): string {
  const q = doc.dataQuality;
  const parts = [
    q.quarantined ? `${formatCount(q.quarantined)} quarantined lines (${q.quarantineReasons.map((r) => `${safe(r.reason)} ${r.count}`).join(', ')})` : 'no quarantined lines',
    q.futureEvents ? `${formatCount(q.futureEvents)} events stamped in the future` : 'no events stamped in the future',
    q.gaps.length ? `${q.gaps.length} gap${q.gaps.length === 1 ? '' : 's'} (longest ${formatDuration(Math.max(...q.gaps.map((g) => g.minutes)) * MINUTE_MS)})` : 'no gaps',
  ];
  return `Data quality: ${parts.join(', ')}`;
}

function levelText(l: Level, p: Paint): string {
  return l === 'critical' ? p.red('CRITICAL') : l === 'warning' ? p.yellow('WARNING') : 'ok';
}

function quote(s: string, max = 60): string {
  const one = safe(s.replace(/\s+/g, ' ').trim());
  return `"${one.length > max ? one.slice(0, max - 1) + '…' : one}"`;
}

function indent(lines: string[]): string[] {
  return lines.map((l) => '  ' + l);
}
