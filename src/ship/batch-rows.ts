import { mergeRollups, rollupGroups } from '../aggregate/rollup.js';
import { addSums, emptySums, type MinuteRow, type MinuteSums, type Rollup } from '../aggregate/rollup-rows.js';
import { floorTo, HOUR_MS } from '../core/time.js';
import type { TableRows } from '../store/clickhouse/shipment-writer.js';
import { chunkEvents } from '../store/event-chunks.js';
import type { Unshipped } from '../store/ship-outbox.js';
import { eventsRowBinary } from '../store/clickhouse/events-rowbinary.js';

/** Raw chunks whose events are already in rollups shipped before (see RollupsBefore): they ship raw only. */
export interface RawOnly {
  /** Chunks of hours before this instant … */
  before: number;
  /** … and up to this chunk id. */
  chunkTo: number;
}

/**
 * What ships, in one place: the raw events of a batch as they are (with their dimensions), and the rollups rebuilt
 * from them exactly as ingest builds them (so the fleet's minute sums, histograms and error groups merge like a
 * local store's), under the host's source name. A new stored column or table ships by adding it to the schema and
 * here.
 */
export function batchRows(batch: Unshipped, host: string, rawOnly: RawOnly | null): TableRows[] {
  // A chunk holds one (hour, op, source) of one ingest batch: it is a rollup group of its own, and the groups'
  // rollups merge into one row per (minute, op) and (hour, op, bucket) of the host.
  const parts: Rollup[] = [];
  for (const chunk of batch.chunks) {
    if (rawOnly && chunk.id <= rawOnly.chunkTo && chunk.hour < rawOnly.before) continue;
    parts.push(rollupGroups([{ hour: chunk.hour, op: chunk.op, source: host, events: [...chunkEvents(chunk)] }]));
  }
  return [
    { table: 'events', rowBinary: (suffix) => eventsRowBinary(batch.chunks, suffix) },
    ...rollupRows(parts.length ? mergeRollups(parts) : { minutes: [], hours: [], errorGroups: [] }),
    quarantineRows(batch),
  ];
}

/** The rows of rollups, rebuilt from raw events or read from a store (a pruned store's older hours). */
export function rollupRows(r: Rollup): TableRows[] {
  return [
    {
      table: 'minute_stats',
      rows: r.minutes.map((m) => [m.op, m.minute, ...statValues(m)]),
    },
    { table: 'hour_stats', rows: hourStatsRows(r.minutes) },
    { table: 'hour_hist', rows: r.hours.flatMap((h) => [...h.buckets].map(([bucket, n]) => [h.op, h.hour, bucket, n])) },
    {
      table: 'error_groups',
      rows: r.errorGroups.map((g) => [g.op, g.hour, g.category, g.fingerprint, g.count, g.firstSeen, g.lastSeen, g.example, g.code]),
    },
  ];
}

/**
 * The hour_stats rows of a batch: its minute rows of each (hour, op) added up as readers add them, and the busiest
 * minute (the earliest of equally busy ones) with its count. A minute's count is summed over its rows first: a
 * pruned store's rollups give one row per minute and local source, which ship under the one host name.
 */
function hourStatsRows(minutes: readonly MinuteRow[]): unknown[][] {
  const hours = new Map<string, { op: string; hour: number; sums: MinuteSums; perMinute: Map<number, number> }>();
  for (const m of minutes) {
    const hour = floorTo(m.minute, HOUR_MS);
    const key = `${hour} ${m.op}`;
    let h = hours.get(key);
    if (!h) hours.set(key, (h = { op: m.op, hour, sums: emptySums(), perMinute: new Map() }));
    addSums(h.sums, m);
    h.perMinute.set(m.minute, (h.perMinute.get(m.minute) ?? 0) + m.count);
  }
  return [...hours.values()].map(({ op, hour, sums, perMinute }) => {
    let peak: [number, number] = [-1, 0];
    for (const [minute, n] of perMinute) if (n > peak[1] || (n === peak[1] && minute < peak[0])) peak = [minute, n];
    return [op, hour, ...statValues(sums), peak[1], peak[0]];
  });
}

/** A row's values for the columns STAT_COLUMNS (schema.ts); an empty minimum or maximum is NULL. */
function statValues(m: MinuteSums): unknown[] {
  return [
    m.count, m.okCount, m.errorCount, m.timeoutCount, m.durCount, m.durSum, fin(m.durMin), fin(m.durMax),
    m.retriesSum, m.retriedCount, fin(m.memory.max), m.memory.sum, m.memory.n, fin(m.cpu.max), m.cpu.sum, m.cpu.n,
    fin(m.concurrency.max), m.concurrency.sum, m.concurrency.n,
  ];
}

function quarantineRows(batch: Unshipped): TableRows {
  return { table: 'quarantine', rows: batch.quarantine.map((q) => [q.file, q.line, q.offset, q.reason, q.snippet, q.at]) };
}

function fin(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
