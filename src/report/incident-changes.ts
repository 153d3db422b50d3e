import type { AnalysisDocument, ErrorGroupStat } from '../analysis/analysis-document.js';
import { capList, type Capped } from './capped.js';
import { cleanLogText } from './escape.js';
import { formatCount, formatMetric, formatMinute, formatNumber, formatRelChange } from '../display/format-units.js';
import { kpiValue } from '../analysis/compare.js';
import { describeChange, hasEvents, type ChangeView } from './kpi-rows.js';
import { errorGroupRow, type ErrorGroupRow } from './view-model.js';

/**
 * What an incident report leads with: when things changed and where (onset and attribution), then how the window
 * differs from the window just before it and from the same window a week earlier.
 */
export interface IncidentChanges {
  against: string;
  /** Onset and attribution of each change, one line each. */
  changes: Array<{ onset: string; summary: string }>;
  headline: Array<{ label: string; before: string; after: string; change: ChangeView | null; week: string | null; weekChange: ChangeView | null }>;
  /** Label of the week-earlier comparison when there is one. */
  weekLabel: string | null;
  appeared: Capped<ErrorGroupRow>;
  grew: Capped<ErrorGroupRow & { before: string; factor: string }>;
  slowed: Capped<{ op: string; before: string; after: string; change: string }>;
  nothing: boolean;
}

// A group "grew" when it at least doubled and by a handful of errors: both windows have the same length, so
// counts compare directly, and 1 → 2 errors is noise, not news.
const GROWTH_FACTOR = 2;
const MIN_EXTRA_ERRORS = 3;
const LIMIT = 10;

const HEADLINE = [
  { key: 'errorRate', label: 'Error rate', better: 'lower' },
  { key: 'p95', label: 'p95 latency', better: 'lower' },
  { key: 'p99', label: 'p99 latency', better: 'lower' },
  { key: 'throughput.meanPerMin', label: 'Throughput', better: 'neither' },
] as const;

/**
 * Compares the incident document with the error groups of the window before it and of the same window a week
 * earlier (read on their own, since the document's comparisons carry only totals). A group is new only when
 * neither baseline has it: one that was there all week but quiet in the last two hours is not news. Groups that
 * grew are counted against the window just before. Operations that slowed are the document's p95 regressions.
 */
export function incidentChanges(doc: AnalysisDocument, previousGroups: readonly ErrorGroupStat[], weekGroups: readonly ErrorGroupStat[] = []): IncidentChanges {
  const prev = doc.comparison.previous;
  const week = doc.comparison.baseline;
  const key = (g: ErrorGroupStat) => JSON.stringify([g.op, g.category, g.fingerprint]);
  const before = new Map(previousGroups.map((g) => [key(g), g.count]));
  const weekBefore = new Set(weekGroups.map(key));
  const byCount = [...doc.errorGroups].sort((a, b) => b.count - a.count);
  const appeared = byCount.filter((g) => !before.has(key(g)) && !weekBefore.has(key(g)));
  const grew = byCount.filter((g) => {
    const n = before.get(key(g));
    return n !== undefined && g.count >= n * GROWTH_FACTOR && g.count - n >= MIN_EXTRA_ERRORS;
  });
  const slowed = [...(prev?.regressions ?? [])].sort((a, b) => b.rel - a.rel);
  const weekSeen = week && hasEvents(week) ? week : null;
  return {
    against: [prev?.label ?? 'the window before', ...(week ? [week.label] : [])].join(' and the '),
    changes: doc.changes.map((c) => ({ onset: c.onsetMs !== null ? formatMinute(c.onsetMs) : 'no single onset', summary: cleanLogText(c.summary, 400) })),
    headline: prev && hasEvents(prev)
      ? HEADLINE.map((h) => ({
          label: h.label,
          before: formatMetric(h.key, kpiValue(prev.overall, h.key)),
          after: formatMetric(h.key, kpiValue(doc.overall, h.key)),
          change: describeChange(h.key, prev.change[h.key], h.better),
          week: weekSeen ? formatMetric(h.key, kpiValue(weekSeen.overall, h.key)) : null,
          weekChange: weekSeen ? describeChange(h.key, weekSeen.change[h.key], h.better) : null,
        }))
      : [],
    weekLabel: weekSeen ? weekSeen.label : null,
    appeared: capList(appeared.map(errorGroupRow), LIMIT),
    grew: capList(grew.map((g) => {
      const n = before.get(key(g)) as number;
      return { ...errorGroupRow(g), before: formatCount(n), factor: `×${formatNumber(g.count / n)}` };
    }), LIMIT),
    slowed: capList(slowed.map((r) => ({
      op: cleanLogText(r.op, 120), before: formatMetric('p95', r.before), after: formatMetric('p95', r.after), change: formatRelChange(r.rel),
    })), LIMIT),
    nothing: appeared.length + grew.length + slowed.length + doc.changes.length === 0,
  };
}
