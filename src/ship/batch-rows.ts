import { rollupBatch } from '../aggregate/rollup.js';
import type { SourcedEvent } from '../core/op-event.js';
import type { TableRows } from '../store/clickhouse/shipment-writer.js';
import { chunkEvents } from '../store/event-chunks.js';
import type { Unshipped } from '../store/ship-outbox.js';

/**
 * What ships, in one place: the raw events of a batch as they are, and the rollups rebuilt from them exactly as
 * ingest builds them (so the fleet's minute sums, histograms and error groups merge like a local store's), under
 * the host's source name. A new stored column or table ships by adding it to the schema and here.
 */
export function batchRows(batch: Unshipped, host: string): TableRows[] {
  const events: SourcedEvent[] = [];
  const raw: unknown[][] = [];
  for (const chunk of batch.chunks) {
    for (const e of chunkEvents(chunk)) {
      const a = e.attrs;
      raw.push([
        e.op, e.ts, e.durationMs, e.ok ? 1 : 0, e.errorCategory === 'timeout' ? 1 : 0,
        a?.concurrency ?? null, a?.memoryMb ?? null, a?.cpuPercent ?? null, a?.retries ?? null,
        e.errorCategory ?? null, e.errorCode ?? null, e.errorMessage ?? null, chunk.source,
      ]);
      e.source = host;
      events.push(e);
    }
  }
  const r = rollupBatch(events);
  return [
    { table: 'events', rows: raw },
    {
      table: 'minute_stats',
      rows: r.minutes.map((m) => [
        m.op, m.minute, m.count, m.okCount, m.errorCount, m.timeoutCount, m.durCount, m.durSum, fin(m.durMin), fin(m.durMax),
        m.retriesSum, m.retriedCount, fin(m.memory.max), m.memory.sum, m.memory.n, fin(m.cpu.max), m.cpu.sum, m.cpu.n,
        fin(m.concurrency.max), m.concurrency.sum, m.concurrency.n,
      ]),
    },
    { table: 'hour_hist', rows: r.hours.flatMap((h) => [...h.buckets].map(([bucket, n]) => [h.op, h.hour, bucket, n])) },
    {
      table: 'error_groups',
      rows: r.errorGroups.map((g) => [g.op, g.hour, g.category, g.fingerprint, g.count, g.firstSeen, g.lastSeen, g.example, g.code]),
    },
    { table: 'quarantine', rows: batch.quarantine.map((q) => [q.file, q.line, q.offset, q.reason, q.snippet, q.at]) },
  ];
}

function fin(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
