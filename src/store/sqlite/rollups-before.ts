import type { ErrorGroupRow, HourHistogram, MinuteRow } from '../../aggregate/rollup-rows.js';
import type { RollupsBefore } from '../ship-outbox.js';
import type { Db } from './open-store.js';
import { foldedCounters } from './unshipped.js';

/**
 * Reads the local rollups before `before` and the raw chunks' extent in one read transaction, so the rollups and
 * the chunk id they cover describe the same committed state.
 */
export function readRollupsBefore(db: Db, before: number): RollupsBefore {
  return db.transaction(() => {
    const minutes = (db.prepare(`SELECT m.minute, o.name AS op, s.name AS source, m.count, m.ok_count, m.error_count, m.timeout_count,
        m.dur_count, m.dur_sum, m.dur_min, m.dur_max, m.retries_sum, m.retried_count, m.mem_max, m.mem_sum, m.mem_n,
        m.cpu_max, m.cpu_sum, m.cpu_n, m.conc_max, m.conc_sum, m.conc_n
      FROM minute_stats m JOIN ops o ON o.id = m.op_id JOIN sources s ON s.id = m.source_id WHERE m.minute < ?`).all(before) as Array<Record<string, number | string | null>>)
      .map((r): MinuteRow => ({
        minute: r.minute as number, op: r.op as string, source: r.source as string,
        count: r.count as number, okCount: r.ok_count as number, errorCount: r.error_count as number, timeoutCount: r.timeout_count as number,
        durCount: r.dur_count as number, durSum: r.dur_sum as number, durMin: (r.dur_min as number | null) ?? Infinity, durMax: (r.dur_max as number | null) ?? -Infinity,
        retriesSum: r.retries_sum as number, retriedCount: r.retried_count as number,
        memory: gauge(r.mem_max, r.mem_sum, r.mem_n), cpu: gauge(r.cpu_max, r.cpu_sum, r.cpu_n), concurrency: gauge(r.conc_max, r.conc_sum, r.conc_n),
      }));
    const hours = new Map<string, HourHistogram>();
    const hist = db.prepare(`SELECT h.hour, o.name AS op, s.name AS source, h.bucket, h.n FROM hour_hist h
      JOIN ops o ON o.id = h.op_id JOIN sources s ON s.id = h.source_id WHERE h.hour < ?`).raw().iterate(before) as Iterable<[number, string, string, number, number]>;
    for (const [hour, op, source, bucket, n] of hist) {
      const key = JSON.stringify([hour, op, source]);
      let h = hours.get(key);
      if (!h) hours.set(key, (h = { hour, op, source, buckets: new Map() }));
      h.buckets.set(bucket, n);
    }
    const errorGroups = db.prepare(`SELECT g.hour, o.name AS op, g.category, g.fingerprint, g.count, g.first_seen AS firstSeen,
        g.last_seen AS lastSeen, g.example, g.code FROM error_groups g JOIN ops o ON o.id = g.op_id WHERE g.hour < ?`).all(before) as ErrorGroupRow[];
    const raw = db.prepare('SELECT coalesce(sum(n), 0) FROM event_chunks WHERE hour < ?').pluck().get(before) as number;
    const chunkTo = db.prepare('SELECT coalesce(max(id), 0) FROM event_chunks').pluck().get() as number;
    const counted = minutes.reduce((s, m) => s + m.count, 0);
    return { before, rollup: { minutes, hours: [...hours.values()], errorGroups }, prunedEvents: counted - raw, chunkTo, folded: foldedCounters(db) };
  }).deferred();
}

function gauge(max: unknown, sum: unknown, n: unknown): { max: number; sum: number; n: number } {
  return { max: typeof max === 'number' ? max : -Infinity, sum: (sum as number) ?? 0, n: (n as number) ?? 0 };
}
