import { oplensCommand } from '../../display/shell-quote.js';
import { sampleConfidence } from './confidence.js';
import { currentTimeoutNote, timeoutOf, trafficShare } from './failure-scope.js';
import { fmtWindow } from './format-evidence.js';
import { formatCount, formatDuration, formatPercent } from '../../display/format-units.js';
import type { Finding, Rule, Severity } from './rule.js';
import { suggestTimeoutSeconds, timeoutAdvice } from './suggest-settings.js';

/** Share of the timeout at which a p95 is "near" it: a low note before runs start being cut off. */
const NEAR = 0.8;

/**
 * p95 at or over the timeout (high, the seed's "p95 > 30 s → raise AUDIT_TIMEOUT_SECONDS"), p99 over it (medium:
 * the slowest 1–5 % are cut off), p95 within 80 % of it (low).
 */
export const p95OverTimeout: Rule = {
  id: 'p95-over-timeout',
  category: 'performance',
  evaluate(doc, s) {
    const out: Finding[] = [];
    for (const o of doc.operations) {
      if (o.p95 === null || o.durationCount < s.minSamples) continue;
      const t = timeoutOf(o.op, s);
      const timeout = t.ms;
      const p99 = o.p99 ?? o.p95;
      let severity: Severity;
      let title: string;
      if (o.p95 >= timeout) [severity, title] = ['high', `${o.op}: p95 ${formatDuration(o.p95)} is at or over the ${formatDuration(timeout)} timeout`];
      else if (p99 >= timeout) [severity, title] = ['medium', `${o.op}: p99 ${formatDuration(p99)} is at or over the ${formatDuration(timeout)} timeout`];
      else if (o.p95 >= NEAR * timeout) [severity, title] = ['low', `${o.op}: p95 ${formatDuration(o.p95)} is near the ${formatDuration(timeout)} timeout`];
      else continue;
      const evidence = [
        `${o.op}: p95 ${formatDuration(o.p95)}, p99 ${formatDuration(p99)}, max ${formatDuration(o.max ?? p99)} against ${t.text} (${formatCount(o.durationCount)} timed events, ${fmtWindow(doc.window)})`,
      ];
      if (o.timeoutCount > 0) evidence.push(`${o.op}: ${formatCount(o.timeoutCount)} runs timed out (${formatPercent(o.timeoutRate)} of its events)`);
      const seconds = suggestTimeoutSeconds(timeout, p99);
      out.push({
        severity,
        title,
        evidence,
        recommendation: `Optimise ${o.op} or raise its timeout above its p99, so that slow but healthy runs are not cut off.`,
        action: `${timeoutAdvice(s.timeoutSetting, seconds)}${currentTimeoutNote(t)}, or make ${o.op} faster starting from its slowest runs (slowest[] of the JSON document)`,
        commands: [oplensCommand('analyze', '--op', o.op, '--format', 'json')],
        impact: trafficShare(doc, o.count),
        confidence: sampleConfidence(o.durationCount, s.minSamples),
        ops: [o.op],
        cause: `timeout:${o.op}`,
      });
    }
    return out;
  },
};
