import type { AnalysisDocument, ErrorGroupStat, GroupKpis } from '../analysis-document.js';
import { categoryClass } from '../../ingest/normalize/classify-error.js';
import { opGlobToRegExp } from '../op-glob.js';
import { fmtExample } from './format-evidence.js';
import { formatCount, formatDuration, formatPercent } from '../../display/format-units.js';
import { DEFAULT_TIMEOUT_MS } from './suggest-settings.js';
import type { RuleContext } from './rule-settings.js';

/** Helpers that put one group's numbers in proportion to the window: shares of traffic and of failures. */

export function trafficShare(doc: AnalysisDocument, events: number): number {
  return doc.overall.count > 0 ? Math.min(1, events / doc.overall.count) : 0;
}

export function failureShare(doc: AnalysisDocument, failures: number): number {
  return doc.overall.errorCount > 0 ? Math.min(1, failures / doc.overall.errorCount) : 0;
}

export function findOp(doc: AnalysisDocument, op: string): GroupKpis | undefined {
  return doc.operations.find((o) => o.op === op);
}

/** The timeout an operation runs under: the first `rules.timeouts` glob that matches it, else `rules.timeoutMs`. */
export function timeoutFor(op: string, s: RuleContext): number {
  return timeoutOf(op, s).ms;
}

/**
 * The timeout of an operation and where it comes from: a `rules.timeouts` entry, `rules.timeoutMs`, or oplens's
 * own default (assumed, and said to be: advice never presents it as the service's current setting).
 */
export function timeoutOf(op: string, s: RuleContext): { ms: number; origin: 'config' | 'assumed'; text: string } {
  const entry = s.timeouts.find((t) => opGlobToRegExp(t.op).test(op));
  if (entry) return { ms: entry.ms, origin: 'config', text: `the ${formatDuration(entry.ms)} timeout configured for ${entry.op} in rules.timeouts` };
  if (s.timeoutMs !== DEFAULT_TIMEOUT_MS) return { ms: s.timeoutMs, origin: 'config', text: `the ${formatDuration(s.timeoutMs)} timeout configured in rules.timeoutMs` };
  return { ms: s.timeoutMs, origin: 'assumed', text: `an assumed ${formatDuration(s.timeoutMs)} timeout (oplens's default: set rules.timeoutMs to the real one)` };
}

/** ` (now 45 s, rules.timeoutMs)` for a configured timeout; for an assumed one, that it is not known. */
export function currentTimeoutNote(t: { ms: number; origin: 'config' | 'assumed' }): string {
  return t.origin === 'config' ? ` (configured now: ${formatDuration(t.ms)})` : ` (the current timeout is not in the logs or the config; oplens assumed ${formatDuration(t.ms)})`;
}

/** Failures per category in one operation (or the whole window when op is null), largest first. */
export function categoryCounts(doc: AnalysisDocument, op: string | null): Array<{ category: string; count: number }> {
  const out = doc.errorCategories.map((c) => ({
    category: c.category,
    count: op === null ? c.count : (c.ops.find((o) => o.op === op)?.count ?? 0),
  }));
  return out.filter((c) => c.count > 0).sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
}

/** The operation holding at least `share` of a category's failures, if one does. */
export function dominantOp(doc: AnalysisDocument, category: string, share: number): string | null {
  const c = doc.errorCategories.find((x) => x.category === category);
  if (!c || c.count === 0) return null;
  const top = [...c.ops].sort((a, b) => b.count - a.count)[0];
  return top && top.count / c.count >= share ? top.op : null;
}

/**
 * Cause key of the failures in a scope: the dominant category (or `errors` when none dominates) and the operation
 * (the scope's own, or the one holding most of the category's failures across the window, or `*`). Rules about
 * timeouts, connections or rate limits build the same key, so all their findings on one problem merge.
 */
export function failureCause(doc: AnalysisDocument, op: string | null, s: RuleContext): string {
  const cats = categoryCounts(doc, op);
  const total = cats.reduce((sum, c) => sum + c.count, 0);
  const top = cats[0];
  // The key names the class (`network` failures are connection failures), so rules on one problem merge.
  const category = top && top.count / total >= s.dominantShare ? categoryClass(top.category) : 'errors';
  const where = op ?? (category === 'errors' ? dominantFailingOp(doc, s.dominantShare) : dominantOp(doc, top.category, s.dominantShare));
  return `${category}:${where ?? '*'}`;
}

function dominantFailingOp(doc: AnalysisDocument, share: number): string | null {
  const top = [...doc.operations].sort((a, b) => b.errorCount - a.errorCount)[0];
  return top && doc.overall.errorCount > 0 && top.errorCount / doc.overall.errorCount >= share ? top.op : null;
}

/** The largest error groups of a scope (optionally one category), largest first. */
export function topGroups(doc: AnalysisDocument, op: string | null, category: string | null, n: number): ErrorGroupStat[] {
  return doc.errorGroups
    .filter((g) => (op === null || g.op === op) && (category === null || categoryClass(g.category) === category))
    .sort((a, b) => b.count - a.count || a.fingerprint.localeCompare(b.fingerprint))
    .slice(0, n);
}

/**
 * `timeout in search [ETIMEDOUT] "upstream request timed out after 30000 ms" ×1,204 (78 % of failures)`; the share
 * is of the window's failures unless the group was counted over a part of it (`of` names that part's failures).
 */
export function describeGroup(doc: AnalysisDocument, g: ErrorGroupStat, failures = doc.overall.errorCount, of = 'failures'): string {
  const code = g.code ? ` [${g.code}]` : '';
  const share = failures > 0 ? Math.min(1, g.count / failures) : 0;
  return `${g.category} in ${g.op}${code} ${fmtExample(g.example)} ×${formatCount(g.count)} (${formatPercent(share)} of ${of})`;
}

/** `timeout 78 %, connection 12 %, validation 10 %` over the failures of a scope. */
export function describeCategories(doc: AnalysisDocument, op: string | null, n = 4): string {
  const cats = categoryCounts(doc, op);
  const total = cats.reduce((sum, c) => sum + c.count, 0);
  return cats.slice(0, n).map((c) => `${c.category} ${formatPercent(c.count / total)}`).join(', ');
}
