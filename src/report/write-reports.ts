import type { AnalysisDocument } from '../analysis/analysis-document.js';
import { writeOutputFile } from '../display/write-output.js';
import { assertHasEvents } from './has-events.js';
import type { ReportFormat } from './report-formats.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { reportTargets } from './report-targets.js';
import { buildViewModel, type ReportModel } from './view-model.js';

export interface WriteReportOptions {
  formats: ReportFormat[];
  /** A directory (default reports/) or one file whose extension picks the format. */
  out?: string;
  /** A team's --template directory overriding the shipped templates file by file. */
  templateDir?: string;
  /** File name without extension, e.g. "oplens-2026-W47". */
  baseName: string;
}

/** Renders the analysis as HTML and/or Markdown and writes the files; returns the paths written. */
export function writeReports(doc: AnalysisDocument, o: WriteReportOptions): string[] {
  assertHasEvents(doc);
  return writeReportModel(buildViewModel(doc), o);
}

const RENDER: Record<ReportFormat, (m: ReportModel, templateDir?: string) => string> = { html: renderHtml, md: renderMarkdown };

/** Writes an already built view model (report weekly and incident name and extend theirs). */
export function writeReportModel(model: ReportModel, o: WriteReportOptions): string[] {
  const targets = reportTargets(o);
  // Render everything first: a broken template must not leave half of the reports written.
  const texts = targets.map((t) => RENDER[t.format](model, o.templateDir));
  targets.forEach((t, i) => writeOutputFile(t.file, texts[i], 'report'));
  return targets.map((t) => t.file);
}
