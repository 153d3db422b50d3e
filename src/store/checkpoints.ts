import type { HashState } from '../core/stream-hash.js';

/** Where a stream's file was when last read, and what identifies it besides its content. */
export interface FileStat {
  path: string;
  dev: number;
  ino: number;
  /** Creation time where the OS gives it, else 0. */
  birthMs: number;
  size: number;
  mtimeMs: number;
}

/** A log stream's progress: committed with the data it covers, in the same transaction. */
export interface Checkpoint extends FileStat {
  id: number;
  /** Hash of the first line (whole, up to FIRST_LINE_BYTES): where content candidates are looked up. */
  firstLineHash: string;
  offset: number;
  lineNo: number;
  /** P(offset) of the stream (stream-hash.ts); null for checkpoints written before content hashing. */
  tailHash: string | null;
  recentEnds: Array<[number, string]>;
  /** The last line counted had no newline yet (a finished file's last record). */
  tailOpen: boolean;
  gzip: boolean;
  format: string | null;
  source: string;
  events: number;
  quarantined: number;
}

/** What a commit writes: where the stream stands and the hash of what it has read. */
export interface CheckpointPosition extends FileStat {
  firstLineHash: string;
  offset: number;
  lineNo: number;
  tailOpen: boolean;
  hash: HashState;
  gzip: boolean;
  format: string | null;
  source: string;
}

/**
 * The checkpoints of every stream a store has read. A batch advances its stream's checkpoint in the same
 * transaction as its data (batch-writer.ts); the lookups here find a file again after a rename, copy or rotation.
 */
export interface Checkpoints {
  withFirstLine(hash: string): Checkpoint[];
  withPath(path: string): Checkpoint[];
  withInode(dev: number, ino: number): Checkpoint[];
  get(id: number): Checkpoint | undefined;
  list(): Checkpoint[];
  /** A new stream, read from its start. */
  create(f: FileStat & { firstLineHash: string; gzip: boolean; source: string }): Checkpoint;
  /** The stream now lives in another file (renamed, copied, compressed): later lookups by path and inode find it. */
  relocate(id: number, f: FileStat): void;
  /** P at block boundary idx (stream-hash.ts), or null at the start. */
  blockHash(id: number, idx: number): string | null;
  /**
   * Requests of a stream that were waiting for their finish line at its last commit. The state is the join stage's
   * own (src/ingest/join-requests.ts); the store keeps it as it is given.
   */
  joinState(id: number): unknown;
  /** Every stream's join state, by checkpoint id. */
  joinStates(): Array<{ id: number; state: unknown }>;
  /** Records a stream as read up to `p` without data (a copy proven to hold only what another stream holds). */
  advance(id: number, p: CheckpointPosition, added: { events: number; quarantined: number }): void;
  /**
   * Drops a stream that stored no events (`ingest --reread`): its checkpoint, block hashes, waiting requests and the
   * lines it quarantined, so that its file is read again from the start as a new stream.
   */
  forget(id: number): void;
  /** A gzip file read to its end: its size is recorded, which marks it complete. */
  markComplete(id: number, size: number, mtimeMs: number): void;
  /**
   * Runs `fn` holding the store's write lock, so that finding and then creating or moving a checkpoint is one step
   * against another process reading the same file.
   */
  exclusive<T>(fn: () => T): T;
}
