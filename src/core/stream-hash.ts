import { createHash, type Hash } from 'node:crypto';

/**
 * Content identity of a log stream: a chained hash over its bytes, P(x) for the first x bytes. The chain restarts
 * every BLOCK_BYTES, seeded with the previous block's P, so that
 * - P(offset) proves a file holds exactly the bytes a checkpoint read (any difference anywhere changes it);
 * - a resume needs only P at the last block boundary and the bytes since (no hash state is serialised);
 * - P at every block boundary and at the last few line ends is kept, so a copy shorter than what was read can be
 *   proven a prefix of it when it ends at one of those points.
 */
export const BLOCK_BYTES = 64 * 1024;
/** Line ends whose P is kept beside the checkpoint (a copytruncate copy usually ends a few lines before it). */
export const RECENT_ENDS = 32;
const HASH_BYTES = 16;

/** A block boundary: P at byte idx × BLOCK_BYTES. */
export interface BlockHash {
  idx: number;
  hash: string;
}

/** Everything about the hash of a stream's first `offset` bytes that a checkpoint stores. */
export interface HashState {
  offset: number;
  /** P(offset). */
  tail: string;
  /** Block boundaries completed since the previous state (they are stored once, append-only). */
  blocks: BlockHash[];
  /** P at the last line ends before offset, oldest first. */
  recentEnds: Array<[number, string]>;
}

const EMPTY = Buffer.alloc(0);

export class StreamHasher {
  private h: Hash;
  private blockStart: number;
  /** P at blockStart: what the current block's hash is seeded with. */
  private seed: string;
  private blocks: BlockHash[] = [];
  private recent: Array<[number, string]>;

  private constructor(
    public pos: number,
    seed: Buffer,
    recent: Array<[number, string]>,
  ) {
    this.blockStart = pos - (pos % BLOCK_BYTES);
    this.h = createHash('sha1').update(seed);
    this.seed = seed.toString('hex');
    this.recent = recent;
  }

  static fromStart(): StreamHasher {
    return new StreamHasher(0, EMPTY, []);
  }

  /**
   * Continues a stream at `offset`: `seed` is P at the block boundary below it (hex, or null at the first block)
   * and `partial` the bytes from that boundary to the offset, read again from the file.
   */
  static resume(offset: number, seed: string | null, partial: Buffer, recent: Array<[number, string]>): StreamHasher {
    const start = offset - (offset % BLOCK_BYTES);
    if (partial.length !== offset - start) throw new Error(`resume needs ${offset - start} bytes before the offset, got ${partial.length}`);
    const s = new StreamHasher(start, seed ? Buffer.from(seed, 'hex') : EMPTY, recent.slice());
    s.feed(partial);
    return s;
  }

  /** An independent copy at the same position, carrying the given line ends and no pending blocks. */
  fork(recent: Array<[number, string]>): StreamHasher {
    const c = Object.create(StreamHasher.prototype) as StreamHasher;
    Object.assign(c, this, { h: this.h.copy(), blocks: [], recent: recent.slice() });
    return c;
  }

  /** P of the bytes fed so far. */
  digest(): string {
    if (this.pos === this.blockStart && this.pos > 0) return this.seed;
    return this.h.copy().digest().subarray(0, HASH_BYTES).toString('hex');
  }

  /** Feeds bytes; with `markLines`, P at the last RECENT_ENDS line ends in them is remembered. */
  update(buf: Buffer, markLines = false): void {
    if (!markLines) return this.feed(buf);
    const ends: number[] = [];
    for (let i = buf.length; ends.length < RECENT_ENDS && i > 0; ) {
      const nl = buf.lastIndexOf(0x0a, i - 1);
      if (nl === -1) break;
      ends.push(nl + 1);
      i = nl;
    }
    let at = 0;
    for (const e of ends.reverse()) {
      this.feed(buf.subarray(at, e));
      at = e;
      this.recent.push([this.pos, this.digest()]);
    }
    if (this.recent.length > RECENT_ENDS) this.recent.splice(0, this.recent.length - RECENT_ENDS);
    this.feed(buf.subarray(at));
  }

  /** The state to store with a checkpoint at the current position; hands over the blocks completed since. */
  take(): HashState {
    const blocks = this.blocks;
    this.blocks = [];
    return { offset: this.pos, tail: this.digest(), blocks, recentEnds: this.recent.slice() };
  }

  private feed(buf: Buffer): void {
    let at = 0;
    while (at < buf.length) {
      const room = this.blockStart + BLOCK_BYTES - this.pos;
      const n = Math.min(room, buf.length - at);
      this.h.update(buf.subarray(at, at + n));
      at += n;
      this.pos += n;
      if (this.pos === this.blockStart + BLOCK_BYTES) {
        const p = this.h.digest().subarray(0, HASH_BYTES);
        this.blockStart = this.pos;
        this.seed = p.toString('hex');
        this.blocks.push({ idx: this.pos / BLOCK_BYTES, hash: this.seed });
        this.h = createHash('sha1').update(p);
      }
    }
  }
}
