import { fmtWindow } from './format-evidence.js';
import { formatCount, formatMinute, formatPercent } from '../../display/format-units.js';
import type { Finding, Rule } from './rule.js';
import { isCutName, MAX_OP } from '../../core/op-name.js';
import { MINUTE_MS } from '../../core/time.js';

/** Above this share of lines (or of the window's time) a data problem is medium, below it a low note. */
const MEDIUM_SHARE = 0.01;
const MEDIUM_GAP_SHARE = 0.05;

/**
 * Problems in the logs themselves: no events at all, quarantined (unreadable) lines, events stamped in the future
 * (clock skew) and stretches with no events → fix the logging before trusting the numbers.
 */
export const dataQuality: Rule = {
  id: 'data-quality',
  category: 'data quality',
  evaluate(doc) {
    const q = doc.dataQuality;
    const out: Finding[] = [];
    const events = doc.overall.count;
    if (events === 0) {
      out.push({
        severity: 'medium',
        title: 'No events in the window',
        evidence: [`0 events in ${fmtWindow(doc.window)}`],
        recommendation: 'Check the window and the database: nothing here can be judged.',
        action: 'oplens status shows the time range the database holds; pass --since/--until or --days inside it, or ingest the logs first (oplens ingest PATH)',
        impact: 1,
        confidence: 1,
        ops: [],
        cause: 'data:no-events',
        key: 'no-events',
      });
    }
    if (q.quarantined > 0) {
      const share = q.quarantined / ((q.storedEvents ?? events) + q.quarantined);
      out.push({
        severity: share >= MEDIUM_SHARE ? 'medium' : 'low',
        title: `${formatCount(q.quarantined)} log lines in the store could not be read (whole store, not only this window)`,
        evidence: [
          `${formatCount(q.quarantined)} quarantined lines (${formatPercent(share)} of all lines read into this database)`,
          `reasons: ${q.quarantineReasons.slice(0, 4).map((r) => `${r.reason} ×${formatCount(r.count)}`).join(', ')}`,
        ],
        recommendation: 'Fix the writer of the unreadable lines, or map their fields, so that no events are missing from the numbers.',
        action: 'oplens status lists the quarantine by reason; map unusual field names under "fields" in oplens.config.json, or fix the logger that writes broken lines',
        impact: share,
        confidence: 1,
        ops: [],
        cause: 'data:quarantine',
        key: 'quarantine',
        storeWide: true,
      });
    }
    if ((q.foldedOperations ?? 0) > 0) {
      const other = doc.operations.find((o) => o.op === '(other operations)');
      const share = other && events > 0 ? other.count / events : 0;
      out.push({
        severity: 'medium',
        title: 'Too many distinct operation names: the newest went to "(other operations)"',
        evidence: [
          `${formatCount(q.foldedOperations ?? 0)} new operation names arrived after the store held ingest.maxOperations names` +
            (other ? `; ${formatCount(other.count)} events of this window (${formatPercent(share)}) are under "(other operations)"` : ''),
        ],
        recommendation: 'The operation field probably carries ids (request ids, user ids, timestamps): give operations stable names.',
        action: 'oplens detect FILE shows the field read as the operation; map a stable one with "fields": {"op": "..."} in oplens.config.json, or raise ingest.maxOperations if the names are real',
        impact: Math.max(share, 0.01),
        confidence: 1,
        ops: [],
        cause: 'data:op-cardinality',
        key: 'op-cardinality',
      });
    }
    const folded = Object.entries(q.foldedValues ?? {}).filter(([, n]) => n > 0);
    if (folded.length > 0) {
      const dims = folded.map(([d]) => d).join(', ');
      out.push({
        severity: 'low',
        title: `Too many distinct values of ${dims}: the newest went to "(other values)" (whole store, not only this window)`,
        evidence: folded.map(([d, n]) => `${d}: ${formatCount(n)} value${n === 1 ? '' : 's'} arrived after it held dimensions.maxValues values (counted once per stored chunk)`),
        recommendation: `Slicing and attribution by ${dims} see only the values stored first; a field with that many values is probably an id, not a category.`,
        action: 'Leave the field out with "dimensions": {"exclude": ["..."]} in oplens.config.json, or raise dimensions.maxValues if the values are real categories',
        impact: 0.01,
        confidence: 1,
        ops: [],
        cause: 'data:value-cardinality',
        key: 'value-cardinality',
        storeWide: true,
      });
    }
    const cut = doc.operations.filter((o) => isCutName(o.op));
    if (cut.length > 0) {
      const share = events > 0 ? cut.reduce((n, o) => n + o.count, 0) / events : 0;
      out.push({
        severity: 'low',
        title: `${formatCount(cut.length)} operation name${cut.length === 1 ? ' was' : 's were'} longer than ${MAX_OP} characters and cut`,
        evidence: [
          `${formatCount(cut.length)} operation${cut.length === 1 ? '' : 's'} (${formatPercent(share)} of the window's events) ` +
            `named by more than ${MAX_OP} characters: each is cut, and ends with …# and a hash of the whole name, so names that differ after the cut stay apart`,
          ...cut.slice(0, 3).map((o) => `"${o.op.slice(0, 60)}…" ×${formatCount(o.count)}`),
        ],
        recommendation: 'Operation names this long usually carry a payload (a query string, a SQL text, a message): give operations short, stable names.',
        action: 'oplens detect FILE shows the field read as the operation; map a shorter one with "fields": {"op": "..."} in oplens.config.json',
        impact: Math.max(share, 0.01),
        confidence: 1,
        ops: cut.map((o) => o.op),
        cause: 'data:long-op-names',
        key: 'long-op-names',
      });
    }
    if (q.futureEvents > 0 && events > 0) {
      const share = q.futureEvents / events;
      out.push({
        severity: share >= MEDIUM_SHARE ? 'medium' : 'low',
        title: `${formatCount(q.futureEvents)} events are stamped in the future`,
        evidence: [`${formatCount(q.futureEvents)} events (${formatPercent(share)}) carry a timestamp after now (${doc.now}) and after the store last read its logs: clock skew or a wrong time zone`],
        recommendation: 'Synchronise the clocks of the writing hosts and log in UTC with an explicit offset.',
        action: 'timedatectl status / chronyc tracking on the writing hosts; write ISO-8601 timestamps with Z or an offset',
        impact: share,
        confidence: 1,
        ops: [],
        cause: 'data:clock-skew',
        key: 'clock-skew',
      });
    }
    if (q.gaps.length > 0) {
      const minutes = q.gaps.reduce((n, g) => n + g.minutes, 0);
      const share = minutes / ((doc.window.toMs - doc.window.fromMs) / MINUTE_MS);
      const longest = [...q.gaps].sort((a, b) => b.minutes - a.minutes || a.from - b.from).slice(0, 3);
      out.push({
        severity: share >= MEDIUM_GAP_SHARE ? 'medium' : 'low',
        title: `${q.gaps.length} stretch${q.gaps.length === 1 ? '' : 'es'} with no events (${formatCount(minutes)} min)`,
        evidence: [
          `${q.gaps.length} gaps, ${formatCount(minutes)} minutes in all (${formatPercent(share)} of the window)`,
          ...longest.map((g) => `no events ${formatMinute(g.from)} – ${formatMinute(g.to)} (${formatCount(g.minutes)} min)`),
        ],
        recommendation: 'Find out whether the service or only its logging stopped during the gaps; a missing log file or rotation outside the ingest path looks the same.',
        action: 'oplens status lists the files and sources ingested with their last events; check that rotated files land in the ingested path and that the writer was running',
        impact: Math.min(1, share),
        confidence: 1,
        ops: [],
        cause: 'data:gaps',
        key: 'gaps',
      });
    }
    return out;
  },
};
