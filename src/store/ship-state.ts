import { StoreError } from '../errors.js';
import type { Db } from './sqlite/open-store.js';

/** How far one target has confirmed this store's data (the `shipments` table). */
export interface ShipState {
  target: string;
  source: string;
  /** The last batch the target confirmed complete; 0 before the first. */
  batch: number;
  /** event_chunks.id and quarantine.id of the last rows in a confirmed batch. */
  chunkCursor: number;
  quarantineCursor: number;
  /** The last attempt number used for this target (attempts only grow). */
  attempt: number;
  /** Events confirmed so far. */
  events: number;
}

interface Row extends ShipState {
  leasePid: number | null;
}

const COLUMNS = `target, source, batch, chunk_cursor AS chunkCursor, quarantine_cursor AS quarantineCursor, attempt, events, lease_pid AS leasePid`;

/**
 * The local record of shipping, kept like ingest checkpoints: a batch's confirmation is committed in one transaction
 * after the target has it, so a kill at any point leaves either the old or the new position, never a mix.
 */
export class ShipLedger {
  constructor(private readonly db: Db) {}

  /**
   * Takes the target for this process, creating its row on first use. A second shipper for the same target while
   * the first one lives is refused: two would race for the same batch numbers.
   */
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

  /** Records an attempt number before the attempt sends anything, so a later attempt always gets a larger one. */
  useAttempt(target: string, attempt: number): void {
    this.db.prepare('UPDATE shipments SET attempt = max(attempt, ?), updated_at = ? WHERE target = ?').run(attempt, Date.now(), target);
  }

  /** Commits a batch the target confirmed. */
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

  list(): ShipState[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM shipments ORDER BY target`).all() as Row[]).map(({ leasePid: _, ...s }) => s);
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
