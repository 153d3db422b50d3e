import type { Db } from './open-store.js';

/** A log stream's progress: committed with the data it covers, in the same transaction. */
export interface Checkpoint {
  id: number;
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  firstLineHash: string;
  headLen: number;
  headHash: string;
  offset: number;
  lineNo: number;
  gzip: boolean;
  format: string | null;
  source: string;
  events: number;
  quarantined: number;
}

/** What identifies and locates a stream when its checkpoint is written. */
export type CheckpointPosition = Omit<Checkpoint, 'id' | 'events' | 'quarantined'>;

const COLUMNS = `id, path, dev, ino, size, mtime_ms AS mtimeMs, first_line_hash AS firstLineHash, head_len AS headLen,
  head_hash AS headHash, offset, line_no AS lineNo, gzip, format, source, events, quarantined`;

function fromRow(r: Record<string, unknown> | undefined): Checkpoint | undefined {
  return r ? ({ ...r, gzip: r.gzip === 1 } as unknown as Checkpoint) : undefined;
}

export class Checkpoints {
  private byFirstLine;
  private byPath;
  private byId;
  private insertStmt;
  private updateStmt;
  private all;
  private joinGet;
  private joinPut;

  constructor(db: Db) {
    this.byFirstLine = db.prepare(`SELECT ${COLUMNS} FROM files WHERE first_line_hash = ? ORDER BY id`);
    this.byPath = db.prepare(`SELECT ${COLUMNS} FROM files WHERE path = ? ORDER BY updated_at DESC`);
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM files WHERE id = ?`);
    this.all = db.prepare(`SELECT ${COLUMNS} FROM files ORDER BY path`);
    this.joinGet = db.prepare('SELECT state FROM pending_joins WHERE file_id = ?').pluck();
    this.joinPut = db.prepare(`INSERT INTO pending_joins (file_id, state) VALUES (?, ?)
      ON CONFLICT (file_id) DO UPDATE SET state = excluded.state`);
    this.insertStmt = db.prepare(`INSERT INTO files
      (path, dev, ino, size, mtime_ms, first_line_hash, head_len, head_hash, offset, line_no, gzip, format, source, updated_at)
      VALUES (@path, @dev, @ino, @size, @mtimeMs, @firstLineHash, @headLen, @headHash, @offset, @lineNo, @gzip, @format, @source, @now)`);
    this.updateStmt = db.prepare(`UPDATE files SET path=@path, dev=@dev, ino=@ino, size=@size, mtime_ms=@mtimeMs,
      first_line_hash=@firstLineHash, head_len=@headLen, head_hash=@headHash, offset=@offset, line_no=@lineNo,
      gzip=@gzip, format=@format, source=@source, events=events+@events, quarantined=quarantined+@quarantined,
      updated_at=@now WHERE id=@id`);
  }

  withFirstLine(hash: string): Checkpoint[] {
    return this.byFirstLine.all(hash).map((r) => fromRow(r as Record<string, unknown>)!);
  }

  withPath(p: string): Checkpoint[] {
    return this.byPath.all(p).map((r) => fromRow(r as Record<string, unknown>)!);
  }

  get(id: number): Checkpoint | undefined {
    return fromRow(this.byId.get(id) as Record<string, unknown> | undefined);
  }

  list(): Checkpoint[] {
    return this.all.all().map((r) => fromRow(r as Record<string, unknown>)!);
  }

  create(p: CheckpointPosition): number {
    const r = this.insertStmt.run({ ...p, gzip: p.gzip ? 1 : 0, now: Date.now() });
    return Number(r.lastInsertRowid);
  }

  /**
   * Requests of a stream that were waiting for their finish line at its last commit. The state is the join stage's
   * own (src/ingest/join-requests.ts); the store keeps it as it is given.
   */
  joinState(id: number): unknown {
    const text = this.joinGet.get(id) as string | undefined;
    return text === undefined ? null : JSON.parse(text);
  }

  /** Must run inside the transaction that advances the checkpoint the state belongs to. */
  saveJoinState(id: number, state: unknown): void {
    this.joinPut.run(id, JSON.stringify(state));
  }

  /** Must run inside the transaction that writes the data up to `p.offset`. */
  advance(id: number, p: CheckpointPosition, added: { events: number; quarantined: number }): void {
    this.updateStmt.run({ ...p, id, gzip: p.gzip ? 1 : 0, now: Date.now(), ...added });
  }
}
