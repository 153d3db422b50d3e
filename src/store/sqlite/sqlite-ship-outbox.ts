import { StoreError } from '../../errors.js';
import type { RollupsBefore, ShipOutbox, ShipState, Unshipped } from '../ship-outbox.js';
import type { Db } from './open-store.js';
import { readRollupsBefore } from './rollups-before.js';
import { readUnshipped, unshippedEvents } from './unshipped.js';

interface Row extends ShipState {
  leasePid: number | null;
}

const COLUMNS = `target, source, batch, chunk_cursor AS chunkCursor, quarantine_cursor AS quarantineCursor, attempt, events, lease_pid AS leasePid`;

/**
 * The `shipments` table (one row per target, kept like ingest checkpoints) over the store's event_chunks and
 * quarantine rows, whose ids are the cursors.
 */
export class SqliteShipOutbox implements ShipOutbox {
  constructor(private readonly db: Db) {}

  acquire(target: string, source: string): ShipState {
    return this.db.transaction(() => {
      const row = this.db.prepare(`SELECT ${COLUMNS} FROM shipments WHERE target = ?`).get(target) as Row | undefined;
      if (!row) {
        this.db.prepare(`INSERT INTO shipments (target, source, batch, chunk_cursor, quarantine_cursor, attempt, events, lease_pid, updated_at)
          VALUES (?, ?, 0, 0, 0, 0, 0, ?, ?)`).run(target, source, process.pid, Date.now());
        return { target, source, batch: 0, chunkCursor: 0, quarantineCursor: 0, attempt: 0, events: 0 };
      }
      if (row.source !== source) {
        throw new StoreError(
          `this store ships to ${target} as source "${row.source}", not "${source}"`,
          `pass --source ${row.source}, or ship to another database`,
        );
      }
      if (row.leasePid !== null && row.leasePid !== process.pid && alive(row.leasePid)) {
        throw new StoreError(`another oplens (pid ${row.leasePid}) is shipping this store to ${target}`, 'wait for it to finish, or stop it');
      }
      this.db.prepare('UPDATE shipments SET lease_pid = ? WHERE target = ?').run(process.pid, target);
      const { leasePid: _, ...state } = row;
      return state;
    }).immediate();
  }

  release(target: string): void {
    this.db.prepare('UPDATE shipments SET lease_pid = NULL WHERE target = ? AND lease_pid = ?').run(target, process.pid);
  }

  useAttempt(target: string, attempt: number): void {
    this.db.prepare('UPDATE shipments SET attempt = max(attempt, ?), updated_at = ? WHERE target = ?').run(attempt, Date.now(), target);
  }

  confirm(target: string, batch: number, chunkCursor: number, quarantineCursor: number, events: number): void {
    this.db.prepare(`UPDATE shipments SET batch = ?, chunk_cursor = ?, quarantine_cursor = ?, events = events + ?, updated_at = ?
      WHERE target = ? AND batch = ?`).run(batch, chunkCursor, quarantineCursor, events, Date.now(), target, batch - 1);
  }

  get(target: string): ShipState | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM shipments WHERE target = ?`).get(target) as Row | undefined;
    if (!row) return undefined;
    const { leasePid: _, ...state } = row;
    return state;
  }

  read(chunkCursor: number, quarantineCursor: number, maxEvents: number): Unshipped {
    return readUnshipped(this.db, chunkCursor, quarantineCursor, maxEvents);
  }

  rollupsBefore(before: number): RollupsBefore {
    return readRollupsBefore(this.db, before);
  }

  waiting(chunkCursor: number): number {
    return unshippedEvents(this.db, chunkCursor);
  }
}

/** The lowest chunk id every target has confirmed (prune keeps everything above it), or null without targets. */
export function shippedChunkFloor(db: Db): number | null {
  const v = db.prepare('SELECT min(chunk_cursor) FROM shipments').pluck().get() as number | null;
  return v ?? null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
