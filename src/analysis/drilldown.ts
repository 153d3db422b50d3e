import type { Scope, StoreQueries, TimeRange } from '../store/queries.js';
import type { ConcurrencyLevel, SlowExample } from './analysis-document.js';
import { quantiles } from './stats/percentile.js';

/** Raw events read at most for the concurrency table: enough for stable rates, cheap on a 10M-event week. */
export const CONCURRENCY_SAMPLE = 50_000;
/** Up to this many distinct integer levels are kept as they are; more are grouped into about ten buckets. */
const MAX_PLAIN_LEVELS = 16;
const SLOW_PER_OP = 3;

export interface ConcurrencyTable {
  levels: ConcurrencyLevel[];
  /** Events the table is built from. */
  sampled: number;
}

/** Failure rate and p95 per concurrency level, from raw events whose lines carry concurrency. */
export function concurrencyTable(q: StoreQueries, range: TimeRange | null, scope: Scope): ConcurrencyTable {
  if (!range || !q.hasConcurrency(range, scope)) return { levels: [], sampled: 0 };
  const sample = q.concurrencySample(range, scope, CONCURRENCY_SAMPLE).filter((s) => s.concurrency >= 0);
  if (sample.length === 0) return { levels: [], sampled: 0 };
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of sample) {
    lo = Math.min(lo, s.concurrency);
    hi = Math.max(hi, s.concurrency);
  }
  const width = Math.floor(hi) - Math.floor(lo) + 1 <= MAX_PLAIN_LEVELS ? 1 : niceWidth((hi - lo) / 10);
  const byLevel = new Map<number, { count: number; errors: number; durations: number[] }>();
  for (const s of sample) {
    const level = Math.floor(s.concurrency / width) * width;
    const b = byLevel.get(level) ?? byLevel.set(level, { count: 0, errors: 0, durations: [] }).get(level)!;
    b.count++;
    if (!s.ok) b.errors++;
    if (s.durationMs !== null) b.durations.push(s.durationMs);
  }
  const levels = [...byLevel.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([level, b]) => ({
      level,
      width,
      count: b.count,
      errorRate: b.errors / b.count,
      p95: b.durations.length ? quantiles(b.durations, [0.95])[0] : null,
    }));
  return { levels, sampled: sample.length };
}

/** 1, 2, 5, 10, 20, 50 … : the smallest such width at least `raw`. */
function niceWidth(raw: number): number {
  const pow = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** The slowest retained raw events of each of `ops`, slowest first. */
export function slowestEvents(q: StoreQueries, range: TimeRange | null, scope: Scope, ops: readonly string[]): SlowExample[] {
  if (!range) return [];
  return q.slowest(range, scope, ops, SLOW_PER_OP).sort((a, b) => b.durationMs - a.durationMs || a.ts - b.ts);
}
