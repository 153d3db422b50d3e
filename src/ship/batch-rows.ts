import { rollupBatch, type SourcedEvent } from '../aggregate/rollup-batch.js';
import type { Attrs } from '../ingest/op-event.js';
import type { TableRows } from '../store/clickhouse/shipment-writer.js';
import { FLAG_OK, FLAG_TIMEOUT } from '../store/event-chunks.js';
import type { Unshipped } from '../store/unshipped.js';

/**
 * What ships, in one place: the raw events of a batch as they are, and the rollups rebuilt from them exactly as
 * ingest builds them (so the fleet's minute sums, histograms and error groups merge like a local store's), under
 * the host's source name. A new stored column or table ships by adding it to the schema and here.
 */
export function batchRows(batch: Unshipped, host: string): TableRows[] {
  const events: SourcedEvent[] = [];
  const raw: unknown[][] = [];
  for (const chunk of batch.chunks) {
    const c = chunk.columns;
    const failures = new Map(chunk.failures.map((f) => [f.i, f]));
    for (let i = 0; i < c.n; i++) {
      const f = failures.get(i);
      const duration = Number.isNaN(c.duration[i]) ? null : c.duration[i];
      const ok = (c.flags[i] & FLAG_OK) !== 0;
      raw.push([
        chunk.op, c.ts[i], duration, ok ? 1 : 0, c.flags[i] & FLAG_TIMEOUT ? 1 : 0,
        nan(c.concurrency[i]), nan(c.memoryMb[i]), nan(c.cpuPercent[i]), nan(c.retries[i]),
        f?.category ?? null, f?.code ?? null, f?.message ?? null, chunk.source,
      ]);
      const e: SourcedEvent = { ts: c.ts[i], op: chunk.op, source: host, durationMs: duration, ok };
      let attrs: Attrs | undefined;
      if (!Number.isNaN(c.concurrency[i])) (attrs ??= {}).concurrency = c.concurrency[i];
      if (!Number.isNaN(c.memoryMb[i])) (attrs ??= {}).memoryMb = c.memoryMb[i];
      if (!Number.isNaN(c.cpuPercent[i])) (attrs ??= {}).cpuPercent = c.cpuPercent[i];
      if (!Number.isNaN(c.retries[i])) (attrs ??= {}).retries = c.retries[i];
      if (attrs) e.attrs = attrs;
      if (f?.category) e.errorCategory = f.category;
      if (f?.code) e.errorCode = f.code;
      if (f?.message) e.errorMessage = f.message;
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

function nan(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

function fin(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
