import type { AnalysisDocument, Change } from '../analysis-document.js';
import { describeAttribution } from '../describe-change.js';
import { formatMinute, formatPercent } from '../../display/format-units.js';

/** The change of one kind (and operation, or spike hour) that a rule reports on, if the analysis found one. */
export function changeOf(doc: AnalysisDocument, kind: Change['kind'], op: string | null, foundAt?: number): Change | undefined {
  return doc.changes.find((c) => c.kind === kind && c.op === op && (foundAt === undefined || c.foundAt === foundAt));
}

/** ` since 2026-11-12 09:00Z`, or '' without an onset. */
export function since(c: Change | undefined): string {
  return c?.onsetMs != null ? ` since ${formatMinute(c.onsetMs)}` : '';
}

/** `96 % of the slowdown on version 2.4.1 (host api-3, api-5)`, or null when nothing stands out. */
export function where(c: Change | undefined): string | null {
  return c && c.attribution.length ? describeAttribution(c.kind, c.attribution) : null;
}

/** Evidence lines: the onset and how sure it is, then where the change is (or why nothing is named). */
export function changeEvidence(c: Change | undefined): string[] {
  if (!c) return [];
  if (c.onsetMs === null) return [`onset: ${c.note ?? 'none found'}`];
  const lines = [`onset ${formatMinute(c.onsetMs)} (first minute of the new level in the per-minute rollups, p = ${(c.onsetPValue ?? 1).toPrecision(2)})`];
  const w = where(c);
  if (w) {
    const top = c.attribution[0];
    lines.push(`where: ${w} — ${top.dimension} ${top.value} is ${formatPercent(top.changedShare)} of the ${c.kind === 'latency' ? 'slow' : 'failed'} events after the onset and ${formatPercent(top.restShare)} of the rest (${top.confidence} confidence, p = ${top.pValue.toPrecision(2)})`);
  } else if (c.note) lines.push(`where: ${c.note}`);
  return lines;
}
