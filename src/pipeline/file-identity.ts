import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Checkpoint, Checkpoints, FileStat } from '../store/checkpoints.js';
import { BLOCK_BYTES, StreamHasher } from '../core/stream-hash.js';

/** The first line is hashed whole up to this many bytes: it is where candidates for a copied stream are looked up. */
export const FIRST_LINE_BYTES = 64 * 1024;

/** A file opened for reading: every check goes through this descriptor, so a rotation cannot switch files under it. */
export interface OpenFile {
  fd: number;
  path: string;
  gzip: boolean;
  stat: FileStat;
}

export interface FileHead {
  firstLineHash: string;
  /** False while the file holds no complete line yet. */
  hasLine: boolean;
  /** The first line has no newline and is all the file holds (a finished file's only record, or a line being written). */
  openOnly: boolean;
  bytes: Buffer;
}

/**
 * Which stream a file continues:
 * - `resume`: the same stream, proven by content (P at the checkpoint's offset), read on from its offset;
 * - `new`: a stream never read;
 * - `prefix`: a copy of the start of a stream already read (a copytruncate copy), proven: nothing in it is new;
 * - `live-copy`: a copy of a file that still holds its stream and is read under its own name;
 * - `unproven`: starts like a stream already read but cannot be proven a copy of it, so it is read as new.
 */
export type Identity =
  | { kind: 'resume'; cp: Checkpoint; hasher: StreamHasher; moved: boolean }
  | { kind: 'new'; hasher: StreamHasher }
  | { kind: 'prefix'; of: Checkpoint; hasher: StreamHasher }
  | { kind: 'live-copy'; of: string }
  | { kind: 'unproven'; like: Checkpoint; hasher: StreamHasher };

export function statOf(p: string, st: fs.Stats): FileStat {
  return { path: p, dev: st.dev, ino: st.ino, birthMs: Math.floor(st.birthtimeMs) || 0, size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
}

const sha1hex = (b: Buffer) => createHash('sha1').update(b).digest('hex');

/** The first line of the content (decompressed for gzip), hashed whole up to FIRST_LINE_BYTES. */
export function readHead(f: OpenFile): FileHead {
  const bytes = readFirstBytes(f, FIRST_LINE_BYTES);
  const nl = bytes.indexOf(0x0a);
  const first = nl === -1 ? bytes : bytes.subarray(0, nl + 1);
  const whole = f.gzip || bytes.length >= f.stat.size;
  return {
    firstLineHash: sha1hex(first),
    hasLine: nl !== -1 || bytes.length >= FIRST_LINE_BYTES || (f.gzip && bytes.length > 0),
    openOnly: nl === -1 && whole && bytes.length > 0 && bytes.length < FIRST_LINE_BYTES,
    bytes,
  };
}

function readFirstBytes(f: OpenFile, n: number): Buffer {
  if (!f.gzip) return readRange(f.fd, 0, Math.min(n, f.stat.size));
  // A prefix of the compressed file is enough for the head; SYNC_FLUSH reads a prefix without error.
  const compressed = readRange(f.fd, 0, Math.min(f.stat.size, 4 * n));
  return zlib.gunzipSync(compressed, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, n);
}

function readRange(fd: number, from: number, to: number): Buffer {
  const buf = Buffer.alloc(Math.max(0, to - from));
  let got = 0;
  while (got < buf.length) {
    const n = fs.readSync(fd, buf, got, buf.length - got, from + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/** The file's content from its start (decompressed for gzip), read without closing the descriptor. */
function contentStream(f: OpenFile): Readable {
  const raw = Readable.from(rawChunks(f.fd));
  if (!f.gzip) return raw;
  const out = raw.pipe(zlib.createGunzip({ chunkSize: 1 << 20 }));
  raw.on('error', (e) => out.destroy(e));
  return out;
}

async function* rawChunks(fd: number): AsyncGenerator<Buffer> {
  for (let pos = 0; ; ) {
    const buf = Buffer.alloc(1 << 20);
    const { bytesRead } = await readAt(fd, buf, pos);
    if (bytesRead === 0) return;
    pos += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}

const readAt = promisify((fd: number, buf: Buffer, pos: number, cb: (e: Error | null, r: { bytesRead: number }) => void) =>
  fs.read(fd, buf, 0, buf.length, pos, (e, bytesRead) => cb(e, { bytesRead })),
);

const birthDiffers = (a: FileStat, b: FileStat) => a.birthMs > 0 && b.birthMs > 0 && a.birthMs !== b.birthMs;

/**
 * Re-reads the last block before the checkpoint's offset (and the first block) and checks them against the stored
 * hashes: the cheap proof that a plain file at the checkpoint's inode still holds the stream. Returns the hasher
 * positioned at the offset, or null when the content differs.
 */
export function verifyInPlace(cps: Checkpoints, fd: number, cp: Checkpoint): StreamHasher | null {
  if (cp.tailHash === null) {
    // Written before content hashing: trusted as before (same inode, long enough), and hashed now from the start.
    const h = StreamHasher.fromStart();
    for (let at = 0; at < cp.offset; at += BLOCK_BYTES) h.update(readRange(fd, at, Math.min(cp.offset, at + BLOCK_BYTES)));
    return h.pos === cp.offset ? h : null;
  }
  if (cp.offset >= BLOCK_BYTES) {
    const first = StreamHasher.fromStart();
    first.update(readRange(fd, 0, BLOCK_BYTES));
    if (first.digest() !== cps.blockHash(cp.id, 1)) return null;
  }
  const start = cp.offset - (cp.offset % BLOCK_BYTES);
  const partial = readRange(fd, start, cp.offset);
  if (partial.length !== cp.offset - start) return null;
  const seed = cps.blockHash(cp.id, start / BLOCK_BYTES);
  if (start > 0 && seed === null) return null;
  const h = StreamHasher.resume(cp.offset, seed, partial, cp.recentEnds);
  return h.digest() === cp.tailHash ? h : null;
}

/** Finds the stream this file continues; see Identity. Never skips what it cannot prove was read. */
export async function identify(cps: Checkpoints, f: OpenFile, head: FileHead): Promise<Identity> {
  const sameInode = cps.withInode(f.stat.dev, f.stat.ino).filter((c) => !birthDiffers(c, f.stat));
  if (!f.gzip) {
    for (const c of sameInode) {
      if (f.stat.size < c.offset) continue; // truncated in place: a new stream
      const h = verifyInPlace(cps, f.fd, c);
      if (h) return { kind: 'resume', cp: c, hasher: h, moved: c.path !== f.path };
    }
  }
  // A plain file at the inode of a stream it no longer holds was truncated or rewritten in place: a new stream,
  // whatever other file its content resembles.
  if (!f.gzip && sameInode.length > 0) return { kind: 'new', hasher: StreamHasher.fromStart() };
  const candidates = [...sameInode, ...cps.withFirstLine(head.firstLineHash)].filter(
    (c, i, all) => c.tailHash !== null && all.findIndex((x) => x.id === c.id) === i,
  );
  if (candidates.length === 0) return { kind: 'new', hasher: StreamHasher.fromStart() };

  const scan = await scanContent(f, candidates.map((c) => c.offset));
  const continued = candidates
    .filter((c) => scan.length >= c.offset && scan.at.get(c.offset)?.digest() === c.tailHash)
    .sort((a, b) => b.offset - a.offset)[0];
  if (continued) {
    const same = continued.dev === f.stat.dev && continued.ino === f.stat.ino;
    const home = same ? null : fileHolding(cps, continued, f);
    if (home) return { kind: 'live-copy', of: home };
    return { kind: 'resume', cp: continued, hasher: scan.at.get(continued.offset)!.fork(continued.recentEnds), moved: !same || continued.path !== f.path };
  }
  // A copy is judged by its complete lines: a line still being written is not content yet.
  const whole = scan.lineEnd;
  const longer = whole.pos > 0 ? candidates.filter((c) => c.offset > whole.pos) : [];
  for (const c of longer) {
    if (provenPrefix(cps, c, whole.pos, whole.digest())) return { kind: 'prefix', of: c, hasher: whole };
    const home = fileHolding(cps, c, f);
    if (home && (await isPrefixOf(f, home, whole.pos))) return { kind: 'prefix', of: c, hasher: whole };
  }
  const like = longer[0];
  return like ? { kind: 'unproven', like, hasher: StreamHasher.fromStart() } : { kind: 'new', hasher: StreamHasher.fromStart() };
}

/** Whether P at `len` of a stream is known and equals `p`: at a block boundary or at one of the last line ends. */
function provenPrefix(cps: Checkpoints, c: Checkpoint, len: number, p: string): boolean {
  if (len === 0) return false;
  if (len % BLOCK_BYTES === 0 && cps.blockHash(c.id, len / BLOCK_BYTES) === p) return true;
  return c.recentEnds.some(([end, h]) => end === len && h === p);
}

/** Hashes the whole content once, keeping the hasher at each of the given offsets and after the last newline. */
async function scanContent(f: OpenFile, offsets: number[]): Promise<{ length: number; at: Map<number, StreamHasher>; lineEnd: StreamHasher }> {
  const stops = [...new Set(offsets)].sort((a, b) => a - b);
  const h = StreamHasher.fromStart();
  const at = new Map<number, StreamHasher>();
  let lineEnd = h.fork([]);
  let next = 0;
  const mark = () => {
    while (next < stops.length && stops[next] === h.pos) at.set(stops[next++], h.fork([]));
  };
  mark();
  const stream = contentStream(f);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let i = 0;
      while (i < chunk.length) {
        const room = next < stops.length ? stops[next] - h.pos : chunk.length - i;
        const n = Math.min(room, chunk.length - i);
        const piece = chunk.subarray(i, i + n);
        const nl = piece.lastIndexOf(0x0a);
        if (nl !== -1) {
          h.update(piece.subarray(0, nl + 1));
          lineEnd = h.fork([]);
        }
        h.update(piece.subarray(nl + 1));
        i += n;
        mark();
      }
    }
  } catch {
    /* a truncated gzip: what was read is compared; the read itself reports the damage */
  } finally {
    stream.destroy();
  }
  // A gzip file is finished: its last line counts whether or not it ends in a newline.
  return { length: h.pos, at, lineEnd: f.gzip ? h.fork([]) : lineEnd };
}

/**
 * The file that still holds a checkpoint's stream under its own name, other than `f`: at the checkpoint's path or,
 * renamed, in that directory with the same inode. A copy of such a file adds nothing: the file itself is read.
 */
function fileHolding(cps: Checkpoints, c: Checkpoint, f: OpenFile): string | null {
  const candidates = [c.path, ...filesWithInode(path.dirname(c.path), [c]).filter((p) => p !== c.path)];
  for (const p of candidates) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(p, 'r');
      const st = fs.fstatSync(fd);
      if (st.dev !== c.dev || st.ino !== c.ino || (st.dev === f.stat.dev && st.ino === f.stat.ino)) continue;
      // A compressed file read to its end never changes: the same size means it is still there.
      if (c.gzip ? st.size === c.size : st.size >= c.offset && verifyInPlace(cps, fd, c)) return p;
    } catch {
      /* gone or unreadable: it does not hold the stream */
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }
  return null;
}

/** Whether the first `len` bytes of `f`'s content are, byte for byte, the start of the plain file at `other`. */
async function isPrefixOf(f: OpenFile, other: string, len: number): Promise<boolean> {
  const fd = fs.openSync(other, 'r');
  try {
    let at = 0;
    const stream = contentStream(f);
    try {
      for await (const whole of stream as AsyncIterable<Buffer>) {
        const chunk = whole.subarray(0, Math.max(0, len - at));
        if (!readRange(fd, at, at + chunk.length).equals(chunk)) return false;
        at += chunk.length;
        if (at >= len) break;
      }
    } finally {
      stream.destroy();
    }
    return at > 0;
  } catch {
    return false;
  } finally {
    fs.closeSync(fd);
  }
}

/** The files in `dir` that are one of the given inodes: where a renamed log went. */
export function filesWithInode(dir: string, ids: Array<{ dev: number; ino: number }>): string[] {
  const found: string[] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  for (const name of names) {
    const p = path.join(dir, name);
    try {
      const o = fs.statSync(p);
      if (o.isFile() && ids.some((c) => c.ino === o.ino && c.dev === o.dev)) found.push(p);
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}
