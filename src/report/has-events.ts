import type { AnalysisDocument } from '../analysis/analysis-document.js';
import { InputError } from '../errors.js';
import { formatRange } from '../display/format-units.js';

/** A report of nothing is a failure, never a file and exit code 0 (STYLE.md). */
export function assertHasEvents(doc: AnalysisDocument, hint = 'check the window (--days, --since, --now) or run `oplens ingest` first'): void {
  if (doc.overall.count === 0) {
    throw new InputError(`no events in ${formatRange(doc.window.fromMs, doc.window.toMs)}: refusing to write an empty report`, hint);
  }
}
