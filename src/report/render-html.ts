import { printable } from '../display/printable.js';
import { mapStrings } from './escape.js';
import { reportCharts } from './charts/report-charts.js';
import { loadTemplate } from './load-template.js';
import type { ReportModel } from './view-model.js';

/**
 * The HTML report: one self-contained file. Log data reaches the page only through `{{ }}` (HTML-escaped by
 * Handlebars); the charts are SVG we generate (with their own text escaped) and are marked safe here, so no
 * template needs `{{{ }}}`.
 */
export function renderHtml(model: ReportModel, templateDir?: string): string {
  const { env, render } = loadTemplate('html', templateDir);
  const svg = reportCharts(model.chartData);
  const charts = Object.fromEntries(Object.entries(svg).map(([k, v]) => [k, new env.SafeString(v)]));
  // Log text shows its control and bidi characters as escapes (a U+202E would reverse what follows it).
  return render({ ...mapStrings(model, (s) => printable(s, '\t\n\r')), charts });
}
