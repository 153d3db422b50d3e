import { rollupBatch, type SourcedEvent } from '../aggregate/rollup-batch.js';
import type { CheckpointPosition } from './checkpoints.js';
import { Checkpoints } from './checkpoints.js';
import type { Db } from './open-store.js';

export interface QuarantineEntry {
  file: string;
  line: number;
  offset: number;
  reason: string;
  snippet: string;
}

/** What one file read since its last commit; `ends[i]` is the byte offset just past event i's line. */
export interface Batch {
  events: SourcedEvent[];
  ends: number[];
  quarantine: Array<QuarantineEntry & { end: number }>;
  /** The stream's checkpoint (none for stdin) and where this batch started and ends. */
  fileId: number | null;
  startOffset: number;
  position: CheckpointPosition | null;
}

export interface CommitResult {
  events: number;
  quarantined: number;
  /** Lines another process committed first (two ingests of one file at once): skipped, not counted twice. */
  alreadyCommitted: number;
}

const SNIPPET_MAX = 300;

type Interned = { op: Map<string, number>; source: Map<string, number> };

/** Writes batches: raw events, rollups, error groups, quarantine and the checkpoint in one transaction. */
export class BatchWriter {
  private readonly ids = { op: new Map<string, number>(), source: new Map<string, number>() };
  private readonly checkpoints: Checkpoints;
  private readonly stmt;
  private readonly tx;

  constructor(db: Db) {
    this.checkpoints = new Checkpoints(db);
    this.stmt = {
      insertOp: db.prepare('INSERT OR IGNORE INTO ops (name) VALUES (?)'),
      opId: db.prepare('SELECT id FROM ops WHERE name = ?').pluck(),
      insertSource: db.prepare('INSERT OR IGNORE INTO sources (name) VALUES (?)'),
      sourceId: db.prepare('SELECT id FROM sources WHERE name = ?').pluck(),
      offset: db.prepare('SELECT offset FROM files WHERE id = ?').pluck(),
      event: db.prepare('INSERT INTO events (ts, op_id, source_id, duration, ok, category, code, message, attrs) VALUES (?,?,?,?,?,?,?,?,?)'),
      minute: db.prepare(`INSERT INTO minute_stats VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT (minute, op_id, source_id) DO UPDATE SET
          count = count + excluded.count, ok_count = ok_count + excluded.ok_count,
          error_count = error_count + excluded.error_count, timeout_count = timeout_count + excluded.timeout_count,
          dur_count = dur_count + excluded.dur_count, dur_sum = dur_sum + excluded.dur_sum,
          dur_min = min(coalesce(dur_min, excluded.dur_min), coalesce(excluded.dur_min, dur_min)),
          dur_max = max(coalesce(dur_max, excluded.dur_max), coalesce(excluded.dur_max, dur_max)),
          retries_sum = retries_sum + excluded.retries_sum, retried_count = retried_count + excluded.retried_count,
          mem_max = max(coalesce(mem_max, excluded.mem_max), coalesce(excluded.mem_max, mem_max)),
          mem_sum = mem_sum + excluded.mem_sum, mem_n = mem_n + excluded.mem_n,
          cpu_max = max(coalesce(cpu_max, excluded.cpu_max), coalesce(excluded.cpu_max, cpu_max)),
          cpu_sum = cpu_sum + excluded.cpu_sum, cpu_n = cpu_n + excluded.cpu_n,
          conc_max = max(coalesce(conc_max, excluded.conc_max), coalesce(excluded.conc_max, conc_max)),
          conc_sum = conc_sum + excluded.conc_sum, conc_n = conc_n + excluded.conc_n`),
      hist: db.prepare(`INSERT INTO hour_hist VALUES (?,?,?,?,?)
        ON CONFLICT (hour, op_id, source_id, bucket) DO UPDATE SET n = n + excluded.n`),
      group: db.prepare(`INSERT INTO error_groups VALUES (?,?,?,?,?,?,?,?,?)
        ON CONFLICT (hour, op_id, category, fingerprint) DO UPDATE SET count = count + excluded.count,
          first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)`),
      quarantine: db.prepare('INSERT INTO quarantine (file, line, byte_offset, reason, snippet, at) VALUES (?,?,?,?,?,?)'),
    };
    this.tx = db.transaction((b: Batch, fresh: Interned) => this.write(b, fresh));
  }

  get checkpointStore(): Checkpoints {
    return this.checkpoints;
  }

  commit(b: Batch): CommitResult {
    const fresh: Interned = { op: new Map(), source: new Map() };
    // IMMEDIATE takes the write lock before reading the checkpoint, so two processes cannot both pass the check.
    const result = this.tx.immediate(b, fresh);
    // Names interned in a transaction are cached only once it has committed: a rolled-back id may be reused.
    for (const kind of ['op', 'source'] as const) for (const [name, id] of fresh[kind]) this.ids[kind].set(name, id);
    return result;
  }

  private write(b: Batch, fresh: Interned): CommitResult {
    let events = b.events;
    let quarantine = b.quarantine;
    let alreadyCommitted = 0;
    if (b.fileId !== null) {
      const committed = this.stmt.offset.get(b.fileId) as number | undefined;
      if (committed !== undefined && committed > b.startOffset) {
        const keep = b.ends.map((end) => end > committed);
        events = events.filter((_, i) => keep[i]);
        quarantine = quarantine.filter((q) => q.end > committed);
        alreadyCommitted = b.events.length - events.length + b.quarantine.length - quarantine.length;
      }
    }
    const now = Date.now();
    for (const e of events) {
      this.stmt.event.run(
        e.ts, this.id('op', e.op, fresh), this.id('source', e.source, fresh), e.durationMs, e.ok ? 1 : 0,
        e.errorCategory ?? null, e.errorCode ?? null, e.errorMessage ?? null,
        e.attrs ? JSON.stringify(e.attrs) : null,
      );
    }
    const r = rollupBatch(events);
    for (const m of r.minutes) {
      this.stmt.minute.run(
        m.minute, this.id('op', m.op, fresh), this.id('source', m.source, fresh), m.count, m.okCount, m.errorCount,
        m.timeoutCount, m.durCount, m.durSum, fin(m.durMin), fin(m.durMax), m.retriesSum, m.retriedCount,
        fin(m.memory.max), m.memory.sum, m.memory.n, fin(m.cpu.max), m.cpu.sum, m.cpu.n,
        fin(m.concurrency.max), m.concurrency.sum, m.concurrency.n,
      );
    }
    for (const h of r.hours) {
      const op = this.id('op', h.op, fresh);
      const src = this.id('source', h.source, fresh);
      for (const [bucket, n] of h.buckets) this.stmt.hist.run(h.hour, op, src, bucket, n);
    }
    for (const g of r.errorGroups) {
      this.stmt.group.run(g.hour, this.id('op', g.op, fresh), g.category, g.fingerprint, g.count, g.firstSeen, g.lastSeen, g.example, g.code);
    }
    for (const q of quarantine) {
      this.stmt.quarantine.run(q.file, q.line, q.offset, q.reason, q.snippet.slice(0, SNIPPET_MAX), now);
    }
    if (b.fileId !== null && b.position) {
      this.checkpoints.advance(b.fileId, b.position, { events: events.length, quarantined: quarantine.length });
    }
    return { events: events.length, quarantined: quarantine.length, alreadyCommitted };
  }

  private id(kind: 'op' | 'source', name: string, fresh: Interned): number {
    const known = this.ids[kind].get(name) ?? fresh[kind].get(name);
    if (known !== undefined) return known;
    (kind === 'op' ? this.stmt.insertOp : this.stmt.insertSource).run(name);
    const id = (kind === 'op' ? this.stmt.opId : this.stmt.sourceId).get(name) as number;
    fresh[kind].set(name, id);
    return id;
  }
}

function fin(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
