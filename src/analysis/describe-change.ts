import { formatDuration, formatMinute, formatPercent, formatSignificant } from '../display/format-units.js';
import type { Attribution, Change } from './analysis-document.js';

/**
 * One line per change, onset and attribution first:
 * `db.query p95 3× since 2026-11-12 09:00Z, 96 % of the slowdown on version 2.4.1 (host api-3, api-5)`.
 */
export function describeChange(c: Omit<Change, 'summary'>): string {
  const subject = c.op ?? 'all operations';
  const what = c.kind === 'latency' ? latency(c) : errors(c);
  const since = c.onsetMs !== null ? ` since ${formatMinute(c.onsetMs)}` : '';
  return `${subject} ${what}${since}${c.attribution.length ? `, ${describeAttribution(c.kind, c.attribution)}` : c.note ? ` (${c.note})` : ''}`;
}

/** `96 % of the slowdown on version 2.4.1 (host api-3, api-5)`: the best value, then other dimensions' strong values. */
export function describeAttribution(kind: Change['kind'], list: readonly Attribution[]): string {
  const [top, ...others] = list;
  const what = kind === 'latency' ? 'the slowdown' : 'the extra failures';
  const also = new Map<string, string[]>();
  for (const a of others) {
    if (a.dimension === top.dimension) continue;
    also.set(a.dimension, [...(also.get(a.dimension) ?? []), a.value]);
  }
  const same = others.filter((a) => a.dimension === top.dimension);
  const share = Math.min(1, same.reduce((s, a) => s + a.share, top.share));
  const head = `${formatPercent(share)} of ${what} on ${top.dimension} ${[top, ...same].map((a) => a.value).join(', ')}`;
  const tail = [...also].slice(0, 3).map(([d, vs]) => `${d} ${vs.slice(0, 4).join(', ')}`).join('; ');
  return tail ? `${head} (${tail})` : head;
}

function latency(c: Omit<Change, 'summary'>): string {
  if (c.before !== null && c.after !== null && c.before > 0) return `p95 ${formatSignificant(c.after / c.before, 2)}× (${formatDuration(c.before)} → ${formatDuration(c.after)})`;
  return 'slower';
}

function errors(c: Omit<Change, 'summary'>): string {
  if (c.before !== null && c.after !== null) return `failures ${formatPercent(c.before)} → ${formatPercent(c.after)}`;
  return 'failing more';
}
