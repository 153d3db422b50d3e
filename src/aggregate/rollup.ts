import type { SourcedEvent } from '../core/op-event.js';
import { HOUR_MS, MINUTE_MS } from '../core/time.js';
import { isTimeout } from '../ingest/normalize/classify-error.js';
import { fingerprint } from '../ingest/normalize/fingerprint.js';
import { addSums, emptySums, type ErrorGroupRow, type Gauge, type HourHistogram, type MinuteRow, type Rollup } from './rollup-rows.js';
import { bucketOf } from './sketch.js';

const K = '\u0000';

function addGauge(g: Gauge, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) return;
  if (v > g.max) g.max = v;
  g.sum += v;
  g.n++;
}

/** The events of one (hour, op, source): the unit of histograms and of raw event chunks. */
export interface HourGroup {
  hour: number;
  op: string;
  source: string;
  events: SourcedEvent[];
}

/**
 * Groups events by (op, source, hour) in one pass; nested maps avoid building a string key per event. Lines come
 * in time order, so an event mostly joins the group its operation's previous event joined: that is checked first.
 */
export function groupByHour(events: SourcedEvent[]): HourGroup[] {
  const index = new Map<string, Map<string, Map<number, HourGroup>>>();
  const lastOfOp = new Map<string, HourGroup>();
  const out: HourGroup[] = [];
  for (const e of events) {
    const hour = e.ts - (e.ts % HOUR_MS);
    const last = lastOfOp.get(e.op);
    if (last !== undefined && last.hour === hour && last.source === e.source) {
      last.events.push(e);
      continue;
    }
    const byHour = slot(index, e.op, e.source);
    const g = byHour.get(hour);
    if (g) {
      g.events.push(e);
      lastOfOp.set(e.op, g);
    } else {
      const ng = { hour, op: e.op, source: e.source, events: [e] };
      byHour.set(hour, ng);
      lastOfOp.set(e.op, ng);
      out.push(ng);
    }
  }
  return out;
}

/** Aggregates grouped events so the store writes one row per (minute, op, source), not one per event. */
export function rollupGroups(hourGroups: HourGroup[]): Rollup {
  const minuteRows: MinuteRow[] = [];
  const hourRows: HourHistogram[] = [];
  const groups = new Map<string, ErrorGroupRow>();
  for (const { hour, op, source, events } of hourGroups) {
    const minutes = new Map<number, MinuteRow>();
    const buckets = new Map<number, number>();
    let m: MinuteRow | undefined; // the previous event's minute: in time order, mostly this one's too
    for (const e of events) {
      const minute = e.ts - (e.ts % MINUTE_MS);
      if (m === undefined || m.minute !== minute) m = minutes.get(minute);
      if (!m) {
        m = { minute, op, source, ...emptySums() };
        minutes.set(minute, m);
        minuteRows.push(m);
      }
      m.count++;
      if (e.ok) m.okCount++;
      else {
        m.errorCount++;
        if (isTimeout(e.errorCategory)) m.timeoutCount++;
        addErrorGroup(groups, e);
      }
      const d = e.durationMs;
      if (d !== null) {
        m.durCount++;
        m.durSum += d;
        if (d < m.durMin) m.durMin = d;
        if (d > m.durMax) m.durMax = d;
        const b = bucketOf(d);
        buckets.set(b, (buckets.get(b) ?? 0) + 1);
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
    }
    if (buckets.size) hourRows.push({ hour, op, source, buckets });
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

/**
 * Merges the rollups of several segments into one, so a batch writes each (minute, op, source) and each histogram
 * bucket once however many segments it spans. Rows of the first rollup are reused; the inputs must not be used after.
 */
export function mergeRollups(parts: Rollup[]): Rollup {
  if (parts.length === 1) return parts[0];
  const minutes = new Map<string, Map<string, Map<number, MinuteRow>>>();
  const hours = new Map<string, Map<string, Map<number, HourHistogram>>>();
  const groups = new Map<string, ErrorGroupRow>();
  const out: Rollup = { minutes: [], hours: [], errorGroups: [] };
  for (const r of parts) {
    for (const m of r.minutes) {
      const byMinute = slot(minutes, m.op, m.source);
      const into = byMinute.get(m.minute);
      if (!into) {
        byMinute.set(m.minute, m);
        out.minutes.push(m);
        continue;
      }
      addSums(into, m);
    }
    for (const h of r.hours) {
      const byHour = slot(hours, h.op, h.source);
      const into = byHour.get(h.hour);
      if (!into) {
        byHour.set(h.hour, h);
        out.hours.push(h);
        continue;
      }
      for (const [b, n] of h.buckets) into.buckets.set(b, (into.buckets.get(b) ?? 0) + n);
    }
    for (const g of r.errorGroups) {
      const key = g.hour + K + g.op + K + g.category + K + g.fingerprint;
      const into = groups.get(key);
      if (!into) {
        groups.set(key, g);
        out.errorGroups.push(g);
        continue;
      }
      into.count += g.count;
      into.firstSeen = Math.min(into.firstSeen, g.firstSeen);
      into.lastSeen = Math.max(into.lastSeen, g.lastSeen);
    }
  }
  return out;
}

/** Rollup of loose events (the analysis's raw window edges). */
export function rollupBatch(events: SourcedEvent[]): Rollup {
  return rollupGroups(groupByHour(events));
}
