import { reportSparklines } from './charts/report-charts.js';
import { HandlebarsRuntime as Handlebars } from './handlebars-runtime.js';
import { escapeMarkdown, mapStrings, markdownCodeSpan } from './escape.js';
import { loadTemplate } from './load-template.js';
import type { RecommendationRow, ReportModel } from './view-model.js';
import { wrapMarkdown } from './wrap-markdown.js';

/**
 * The Markdown report (GitHub-flavoured, for tickets). Every string of the model is Markdown-escaped before the
 * template sees it (| and \ cannot break a table, newlines cannot end a row, < and ` cannot start HTML or code),
 * so templates, including a team's own, cannot print raw log text by mistake. Prose is wrapped at 100 characters
 * (table rows and headings cannot be), so the report reads in a ticket without sideways scrolling.
 */
export function renderMarkdown(model: ReportModel, templateDir?: string): string {
  const { render } = loadTemplate('md', templateDir);
  const md = mapStrings({ ...model, sparklines: reportSparklines(model.chartData) }, escapeMarkdown);
  // Commands are code spans, not escaped text: copied from the report they must be exactly the command.
  const code = (rows: RecommendationRow[], raw: RecommendationRow[]) => rows.map((r, i) => ({ ...r, commands: codeOf(raw[i]) }));
  return wrapMarkdown(render({
    ...md,
    topRecommendations: code(md.topRecommendations, model.topRecommendations),
    recommendations: { ...md.recommendations, rows: code(md.recommendations.rows, model.recommendations.rows) },
  }));
}

function codeOf(r: RecommendationRow): Handlebars.SafeString[] {
  return r.commands.map((c) => new Handlebars.SafeString(markdownCodeSpan(c)));
}
