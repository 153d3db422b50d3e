import type { AnalysisDocument, ErrorGroupStat } from '../analysis/analysis-document.js';
import { capList, type Capped } from './capped.js';
import { cleanLogText } from './escape.js';
import { formatCount, formatMetric, formatNumber, formatRelChange } from '../display/format-units.js';
import { kpiValue } from '../analysis/compare.js';
import { describeChange, hasEvents, type ChangeView } from './kpi-rows.js';
import { errorGroupRow, type ErrorGroupRow } from './view-model.js';

/** What an incident report leads with: how the incident window differs from the window just before it. */
export interface IncidentChanges {
  against: string;
  headline: Array<{ label: string; before: string; after: string; change: ChangeView | null }>;
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
 * Compares the incident document with the error groups of the window before it (analysed on its own, since the
 * document's comparison carries only totals). Operations that slowed are the document's p95 regressions.
 */
export function incidentChanges(doc: AnalysisDocument, previousGroups: readonly ErrorGroupStat[]): IncidentChanges {
  const prev = doc.comparison.previous;
  const key = (g: ErrorGroupStat) => JSON.stringify([g.op, g.category, g.fingerprint]);
  const before = new Map(previousGroups.map((g) => [key(g), g.count]));
  const byCount = [...doc.errorGroups].sort((a, b) => b.count - a.count);
  const appeared = byCount.filter((g) => !before.has(key(g)));
  const grew = byCount.filter((g) => {
    const n = before.get(key(g));
    return n !== undefined && g.count >= n * GROWTH_FACTOR && g.count - n >= MIN_EXTRA_ERRORS;
  });
  const slowed = [...(prev?.regressions ?? [])].sort((a, b) => b.rel - a.rel);
  return {
    against: prev?.label ?? 'the window before',
    headline: prev && hasEvents(prev)
      ? HEADLINE.map((h) => ({
          label: h.label,
          before: formatMetric(h.key, kpiValue(prev.overall, h.key)),
          after: formatMetric(h.key, kpiValue(doc.overall, h.key)),
          change: describeChange(h.key, prev.change[h.key], h.better),
        }))
      : [],
    appeared: capList(appeared.map(errorGroupRow), LIMIT),
    grew: capList(grew.map((g) => {
      const n = before.get(key(g)) as number;
      return { ...errorGroupRow(g), before: formatCount(n), factor: `×${formatNumber(g.count / n)}` };
    }), LIMIT),
    slowed: capList(slowed.map((r) => ({
      op: cleanLogText(r.op, 120), before: formatMetric('p95', r.before), after: formatMetric('p95', r.after), change: formatRelChange(r.rel),
    })), LIMIT),
    nothing: appeared.length + grew.length + slowed.length === 0,
  };
}
