import { reportSparklines } from './charts/report-charts.js';
import { escapeMarkdown, mapStrings } from './escape.js';
import { loadTemplate } from './load-template.js';
import type { ReportModel } from './view-model.js';
import { wrapMarkdown } from './wrap-markdown.js';

/**
 * The Markdown report (GitHub-flavoured, for tickets). Every string of the model is Markdown-escaped before the
 * template sees it (| and \ cannot break a table, newlines cannot end a row, < and ` cannot start HTML or code),
 * so templates, including a team's own, cannot print raw log text by mistake. Prose is wrapped at 100 characters
 * (table rows and headings cannot be), so the report reads in a ticket without sideways scrolling.
 */
export function renderMarkdown(model: ReportModel, templateDir?: string): string {
  const { render } = loadTemplate('md', templateDir);
  return wrapMarkdown(render(mapStrings({ ...model, sparklines: reportSparklines(model.chartData) }, escapeMarkdown)));
}
