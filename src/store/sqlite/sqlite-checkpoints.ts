import type { Checkpoint, CheckpointPosition, Checkpoints, FileStat } from '../checkpoints.js';
import type { Db } from './open-store.js';

const COLUMNS = `id, path, dev, ino, birth_ms AS birthMs, size, mtime_ms AS mtimeMs, first_line_hash AS firstLineHash,
  offset, line_no AS lineNo, tail_hash AS tailHash, recent_ends AS recentEnds, tail_open AS tailOpen, gzip, format,
  source, events, quarantined`;

function fromRow(r: unknown): Checkpoint | undefined {
  if (!r) return undefined;
  const row = r as Record<string, unknown>;
  return { ...row, gzip: row.gzip === 1, tailOpen: row.tailOpen === 1, recentEnds: JSON.parse(row.recentEnds as string) } as Checkpoint;
}

/** The checkpoint table; every lookup is indexed (path, inode, first line, id), so 100,000 files stay cheap. */
export class SqliteCheckpoints implements Checkpoints {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      byFirstLine: db.prepare(`SELECT ${COLUMNS} FROM files WHERE first_line_hash = ? ORDER BY id`),
      byPath: db.prepare(`SELECT ${COLUMNS} FROM files WHERE path = ? ORDER BY updated_at DESC`),
      byInode: db.prepare(`SELECT ${COLUMNS} FROM files WHERE dev = ? AND ino = ? ORDER BY offset DESC`),
      byId: db.prepare(`SELECT ${COLUMNS} FROM files WHERE id = ?`),
      all: db.prepare(`SELECT ${COLUMNS} FROM files ORDER BY path`),
      insert: db.prepare(`INSERT INTO files
        (path, dev, ino, birth_ms, size, mtime_ms, first_line_hash, offset, line_no, gzip, format, source, updated_at)
        VALUES (@path, @dev, @ino, @birthMs, @size, @mtimeMs, @firstLineHash, 0, 0, @gzip, NULL, @source, @now)`),
      advance: db.prepare(`UPDATE files SET path=@path, dev=@dev, ino=@ino, birth_ms=@birthMs, size=@size,
        mtime_ms=@mtimeMs, first_line_hash=@firstLineHash, offset=@offset, line_no=@lineNo, tail_hash=@tail,
        recent_ends=@recentEnds, tail_open=@tailOpen, gzip=@gzip, format=@format, source=@source,
        events=events+@events, quarantined=quarantined+@quarantined,
        updated_at=@now WHERE id=@id`),
      relocate: db.prepare(`UPDATE files SET path=@path, dev=@dev, ino=@ino, birth_ms=@birthMs, size=@size,
        mtime_ms=@mtimeMs, updated_at=@now WHERE id=@id`),
      block: db.prepare('INSERT OR REPLACE INTO file_blocks (file_id, idx, hash) VALUES (?, ?, ?)'),
      blockAt: db.prepare('SELECT hash FROM file_blocks WHERE file_id = ? AND idx = ?').pluck(),
      markComplete: db.prepare('UPDATE files SET size = ?, mtime_ms = ? WHERE id = ?'),
      forget: [
        // Quarantined lines carry the path they were read under, not the stream: those of the stream's path go.
        db.prepare('DELETE FROM quarantine WHERE file = (SELECT path FROM files WHERE id = ?)'),
        db.prepare('DELETE FROM file_blocks WHERE file_id = ?'),
        db.prepare('DELETE FROM pending_joins WHERE file_id = ?'),
        db.prepare('DELETE FROM files WHERE id = ? AND events = 0'),
      ],
      joinGet: db.prepare('SELECT state FROM pending_joins WHERE file_id = ?').pluck(),
      joinAll: db.prepare('SELECT file_id AS id, state FROM pending_joins ORDER BY file_id'),
      joinPut: db.prepare(`INSERT INTO pending_joins (file_id, state) VALUES (?, ?)
        ON CONFLICT (file_id) DO UPDATE SET state = excluded.state`),
    };
  }

  withFirstLine(hash: string): Checkpoint[] {
    return this.stmt.byFirstLine.all(hash).map((r) => fromRow(r)!);
  }

  withPath(p: string): Checkpoint[] {
    return this.stmt.byPath.all(p).map((r) => fromRow(r)!);
  }

  withInode(dev: number, ino: number): Checkpoint[] {
    return this.stmt.byInode.all(dev, ino).map((r) => fromRow(r)!);
  }

  get(id: number): Checkpoint | undefined {
    return fromRow(this.stmt.byId.get(id));
  }

  list(): Checkpoint[] {
    return this.stmt.all.all().map((r) => fromRow(r)!);
  }

  create(f: FileStat & { firstLineHash: string; gzip: boolean; source: string }): Checkpoint {
    const r = this.stmt.insert.run({ ...f, gzip: f.gzip ? 1 : 0, now: Date.now() });
    return this.get(Number(r.lastInsertRowid))!;
  }

  relocate(id: number, f: FileStat): void {
    this.stmt.relocate.run({ ...f, id, now: Date.now() });
  }

  blockHash(id: number, idx: number): string | null {
    return idx === 0 ? null : ((this.stmt.blockAt.get(id, idx) as string | undefined) ?? null);
  }

  joinState(id: number): unknown {
    const text = this.stmt.joinGet.get(id) as string | undefined;
    return text === undefined ? null : JSON.parse(text);
  }

  joinStates(): Array<{ id: number; state: unknown }> {
    return (this.stmt.joinAll.all() as Array<{ id: number; state: string }>).map((r) => ({ id: r.id, state: JSON.parse(r.state) }));
  }

  /** Must run inside the transaction that advances the checkpoint the state belongs to. */
  saveJoinState(id: number, state: unknown): void {
    this.stmt.joinPut.run(id, JSON.stringify(state));
  }

  /** Must run inside the transaction that writes the data up to `p.offset`. */
  advance(id: number, p: CheckpointPosition, added: { events: number; quarantined: number }): void {
    this.stmt.advance.run({
      ...p, id, gzip: p.gzip ? 1 : 0, tailOpen: p.tailOpen ? 1 : 0, tail: p.hash.tail,
      recentEnds: JSON.stringify(p.hash.recentEnds), now: Date.now(), ...added,
    });
    for (const b of p.hash.blocks) this.stmt.block.run(id, b.idx, b.hash);
  }

  markComplete(id: number, size: number, mtimeMs: number): void {
    this.stmt.markComplete.run(size, mtimeMs, id);
  }

  forget(id: number): void {
    this.db.transaction(() => this.stmt.forget.forEach((st) => st.run(id)))();
  }

  exclusive<T>(fn: () => T): T {
    // IMMEDIATE takes the write lock at the start, so another process cannot read the same state in between.
    return this.db.transaction(fn).immediate();
  }
}
