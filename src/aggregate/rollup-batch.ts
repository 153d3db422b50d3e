import type { OpEvent } from '../ingest/op-event.js';
import { fingerprint } from '../ingest/normalize/fingerprint.js';
import { bucketOf } from './sketch.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** Sums and extremes of one numeric attribute over a minute. */
export interface Gauge {
  max: number;
  sum: number;
  n: number;
}

export interface MinuteRow {
  minute: number;
  op: string;
  source: string;
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

/** An event whose source has been settled (the line's own, or the file's label). */
export type SourcedEvent = OpEvent & { source: string };

const K = '\u0000';

function gauge(): Gauge {
  return { max: -Infinity, sum: 0, n: 0 };
}

function addGauge(g: Gauge, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) return;
  if (v > g.max) g.max = v;
  g.sum += v;
  g.n++;
}

/** Aggregates one batch in memory so the store writes one row per (minute, op, source), not one per event. */
export function rollupBatch(events: SourcedEvent[]): Rollup {
  // Nested maps (op -> source -> time) avoid building a string key per event.
  const minutes = new Map<string, Map<string, Map<number, MinuteRow>>>();
  const hours = new Map<string, Map<string, Map<number, HourHistogram>>>();
  const minuteRows: MinuteRow[] = [];
  const hourRows: HourHistogram[] = [];
  const groups = new Map<string, ErrorGroupRow>();
  for (const e of events) {
    const minute = e.ts - (e.ts % MINUTE_MS);
    const byMinute = slot(minutes, e.op, e.source);
    let m = byMinute.get(minute);
    if (!m) {
      m = {
        minute, op: e.op, source: e.source, count: 0, okCount: 0, errorCount: 0, timeoutCount: 0, durCount: 0,
        durSum: 0, durMin: Infinity, durMax: -Infinity, retriesSum: 0, retriedCount: 0,
        memory: gauge(), cpu: gauge(), concurrency: gauge(),
      };
      byMinute.set(minute, m);
      minuteRows.push(m);
    }
    m.count++;
    if (e.ok) m.okCount++;
    else {
      m.errorCount++;
      if (e.errorCategory === 'timeout') m.timeoutCount++;
    }
    const d = e.durationMs;
    if (d !== null) {
      m.durCount++;
      m.durSum += d;
      if (d < m.durMin) m.durMin = d;
      if (d > m.durMax) m.durMax = d;
      const hour = e.ts - (e.ts % HOUR_MS);
      const byHour = slot(hours, e.op, e.source);
      let h = byHour.get(hour);
      if (!h) {
        byHour.set(hour, (h = { hour, op: e.op, source: e.source, buckets: new Map() }));
        hourRows.push(h);
      }
      const b = bucketOf(d);
      h.buckets.set(b, (h.buckets.get(b) ?? 0) + 1);
    }
    const a = e.attrs;
    if (a) {
      const r = a.retries;
      if (typeof r === 'number' && r > 0) {
        m.retriesSum += r;
        m.retriedCount++;
      }
      addGauge(m.memory, a.memoryMb);
      addGauge(m.cpu, a.cpuPercent);
      addGauge(m.concurrency, a.concurrency);
    }
    if (!e.ok) addErrorGroup(groups, e);
  }
  return { minutes: minuteRows, hours: hourRows, errorGroups: [...groups.values()] };
}

function slot<T>(m: Map<string, Map<string, Map<number, T>>>, op: string, source: string): Map<number, T> {
  let bySource = m.get(op);
  if (!bySource) m.set(op, (bySource = new Map()));
  let byTime = bySource.get(source);
  if (!byTime) bySource.set(source, (byTime = new Map()));
  return byTime;
}

function addErrorGroup(groups: Map<string, ErrorGroupRow>, e: SourcedEvent): void {
  const hour = e.ts - (e.ts % HOUR_MS);
  const category = e.errorCategory ?? 'unknown';
  const message = e.errorMessage ?? e.errorCode ?? '';
  const fp = message ? fingerprint(message) : `(${category})`;
  const key = hour + K + e.op + K + category + K + fp;
  const g = groups.get(key);
  if (!g) {
    groups.set(key, {
      hour, op: e.op, category, fingerprint: fp, count: 1, firstSeen: e.ts, lastSeen: e.ts,
      example: message, code: e.errorCode ?? null,
    });
    return;
  }
  g.count++;
  if (e.ts < g.firstSeen) g.firstSeen = e.ts;
  if (e.ts > g.lastSeen) g.lastSeen = e.ts;
}
