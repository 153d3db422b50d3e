/** The rows a rollup produces and the store keeps: minute sums, hour histograms, error groups. */

/** Sums and extremes of one numeric attribute over a minute. */
export interface Gauge {
  max: number;
  sum: number;
  n: number;
}

/** What a minute row adds up: sums, counts and extremes that merge by addition (and min/max). */
export interface MinuteSums {
  count: number;
  okCount: number;
  errorCount: number;
  timeoutCount: number;
  durCount: number;
  durSum: number;
  durMin: number;
  durMax: number;
  retriesSum: number;
  retriedCount: number;
  memory: Gauge;
  cpu: Gauge;
  concurrency: Gauge;
}

export interface MinuteRow extends MinuteSums {
  minute: number;
  op: string;
  source: string;
}

export function emptySums(): MinuteSums {
  return {
    count: 0, okCount: 0, errorCount: 0, timeoutCount: 0, durCount: 0, durSum: 0, durMin: Infinity, durMax: -Infinity,
    retriesSum: 0, retriedCount: 0, memory: gauge(), cpu: gauge(), concurrency: gauge(),
  };
}

/** Adds one row's sums into another: the one definition of how minute rows merge. */
export function addSums(into: MinuteSums, r: MinuteSums): void {
  into.count += r.count;
  into.okCount += r.okCount;
  into.errorCount += r.errorCount;
  into.timeoutCount += r.timeoutCount;
  into.durCount += r.durCount;
  into.durSum += r.durSum;
  into.durMin = Math.min(into.durMin, r.durMin);
  into.durMax = Math.max(into.durMax, r.durMax);
  into.retriesSum += r.retriesSum;
  into.retriedCount += r.retriedCount;
  for (const k of ['memory', 'cpu', 'concurrency'] as const) {
    into[k].max = Math.max(into[k].max, r[k].max);
    into[k].sum += r[k].sum;
    into[k].n += r[k].n;
  }
}

export interface HourHistogram {
  hour: number;
  op: string;
  source: string;
  buckets: Map<number, number>;
}

export interface ErrorGroupRow {
  hour: number;
  op: string;
  category: string;
  fingerprint: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  example: string;
  code: string | null;
}

export interface Rollup {
  minutes: MinuteRow[];
  hours: HourHistogram[];
  errorGroups: ErrorGroupRow[];
}

function gauge(): Gauge {
  return { max: -Infinity, sum: 0, n: 0 };
}
