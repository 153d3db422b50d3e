import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Checkpoint } from '../store/sqlite/checkpoints.js';
import type { Db } from '../store/sqlite/open-store.js';
import { consumeStream, type ReadSettings, type StreamResult } from './consume-stream.js';
import { DecodeFailure, decodeLine } from '../ingest/decode-line.js';
import { describeHead, findCheckpoint, readHead, sha1 } from './file-identity.js';
import type { FormatAdapter } from '../ingest/formats/format-adapter.js';
import { isGzipFile } from '../ingest/gzip-magic.js';
import { sourceLabel } from '../ingest/source-label.js';

export interface FileSettings extends ReadSettings {
  db: Db;
  /** A forced format, or null for auto-detection. */
  format: FormatAdapter | null;
  source?: string;
}

export type FileStatus = 'read' | 'unchanged' | 'waiting' | 'yielded' | 'skipped' | 'failed';

export interface FileResult extends Partial<StreamResult> {
  path: string;
  status: FileStatus;
  /** The checkpoint the file was read under: a new id at the same inode means the file was rewritten in place. */
  fileId?: number;
  /** Why a file failed or was left, for the summary. */
  note?: string;
}

/**
 * Reads one file from its checkpoint to its last complete line. The file is opened once and read through that
 * descriptor, so a rotation during the read cannot switch files under it. gzip is recognised by content.
 */
export async function ingestFile(filePath: string, s: FileSettings): Promise<FileResult> {
  let fd: number;
  try {
    fd = fs.openSync(filePath, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { path: filePath, status: 'failed', note: code === 'ENOENT' ? 'file disappeared before it was read' : `cannot open (${code})` };
  }
  let closeFd = true;
  try {
    const st = fs.fstatSync(fd);
    const gzip = isGzipFile(fd);
    const cps = s.writer.checkpointStore;
    const same = cps.withPath(filePath).find((c) => c.dev === st.dev && c.ino === st.ino && c.size === st.size && c.mtimeMs === Math.floor(st.mtimeMs));
    if (same && (gzip || same.offset === st.size)) return { path: filePath, status: 'unchanged', fileId: same.id, format: same.format, offset: same.offset };
    if (st.size === 0) return { path: filePath, status: 'waiting', note: 'empty file' };

    let headBytes: Buffer;
    try {
      headBytes = readHead(fd, gzip, st.size);
    } catch (e) {
      return { path: filePath, status: 'failed', note: `not a readable gzip file (${(e as Error).message})` };
    }
    const head = describeHead(headBytes, gzip);
    if (!head.hasLine) return { path: filePath, status: 'waiting', note: 'no complete line yet' };
    if (!looksLikeJsonLines(filePath, head.bytes)) {
      return { path: filePath, status: 'skipped', note: 'not JSON Lines: its first line is not a JSON object (a pretty-printed JSON document?)' };
    }

    const cp = claimCheckpoint(s, filePath, gzip, head, st);
    const source = s.source ?? cp.source;
    const format = s.format ?? (cp.format ? s.formats.find((f) => f.name === cp.format) ?? null : null);
    closeFd = false; // the stream owns the descriptor from here
    const { stream, readBytes } = openAt(fd, gzip, cp.offset);
    const result = await consumeStream(
      stream,
      {
        label: filePath, source, fileId: cp.id, startOffset: cp.offset, startLine: cp.lineNo,
        consumeUnterminatedTail: gzip, format, joinState: s.writer.checkpointStore.joinState(cp.id),
        position: (offset, lineNo, fmt) => {
          const headLen = Math.min(offset, head.bytes.length);
          return {
            path: filePath, dev: st.dev, ino: st.ino, size: gzip ? -1 : st.size, mtimeMs: Math.floor(st.mtimeMs),
            firstLineHash: head.firstLineHash, headLen, headHash: sha1(head.bytes.subarray(0, headLen)),
            offset, lineNo, gzip, format: fmt, source,
          };
        },
      },
      // Progress counts bytes read from disk, compressed for gzip, as pendingBytes totals them.
      gzip ? { ...s, onProgress: s.onProgress && ((_b, lines) => s.onProgress!(readBytes(), lines)) } : s,
    );
    stream.destroy();
    if (result.yielded) return { ...result, path: filePath, status: 'yielded', note: `left to another oplens process (${result.yielded})` };
    if (result.readError) {
      // A truncated or corrupt gzip ends where the damage starts; the lines before it were committed.
      const what = gzip ? 'gzip data is truncated or corrupt' : 'read error';
      return { path: filePath, status: 'failed', fileId: cp.id, note: `${what} (${result.readError})`, ...result };
    }
    // Only a gzip file read to its end is marked complete (its size recorded), so an interrupted one resumes.
    if (gzip && !s.signal?.aborted) {
      s.db.prepare('UPDATE files SET size = ?, mtime_ms = ? WHERE id = ?').run(st.size, Math.floor(st.mtimeMs), cp.id);
    }
    return { path: filePath, status: 'read', fileId: cp.id, ...result };
  } finally {
    if (closeFd) fs.closeSync(fd);
  }
}

/**
 * The bytes reading this file will take from disk (the progress bar's total): a plain file from its checkpoint
 * on, a gzip file whole unless it was read to its end before (a gzip stream resumes by decompressing from the
 * start). The checkpoint is the one this path had for this inode, as for the "unchanged" test above.
 */
export function pendingBytes(filePath: string, s: Pick<FileSettings, 'writer'>): number {
  let fd: number;
  try {
    fd = fs.openSync(filePath, 'r');
  } catch {
    return 0;
  }
  try {
    const st = fs.fstatSync(fd);
    const cp = s.writer.checkpointStore.withPath(filePath).find((c) => c.dev === st.dev && c.ino === st.ino);
    if (isGzipFile(fd)) return cp && cp.size === st.size ? 0 : st.size;
    return cp && cp.offset <= st.size ? st.size - cp.offset : st.size;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * `.json` files are read because tools write JSON Lines under that name (k6 `--out json=results.json`), but most
 * `.json` files in a directory are single documents (configs, manifests): one whose first complete line is not
 * an object is skipped rather than quarantined line by line. Other names are always read.
 */
function looksLikeJsonLines(filePath: string, head: Buffer): boolean {
  if (!/\.json(\.gz)?$/i.test(filePath)) return true;
  const nl = head.indexOf(0x0a);
  if (nl === -1) return true; // a first line longer than the head: cannot tell, read it
  const first = decodeLine(head.toString('utf8', 0, nl));
  return !(first instanceof DecodeFailure);
}

/**
 * Finds or creates the checkpoint of this file's stream inside a write transaction, so two processes reading a
 * new file at once agree on one checkpoint. A plain file shorter than its checkpoint was truncated in place and
 * is read again from the start.
 */
function claimCheckpoint(
  s: FileSettings,
  filePath: string,
  gzip: boolean,
  head: ReturnType<typeof describeHead>,
  st: fs.Stats,
): Checkpoint {
  const cps = s.writer.checkpointStore;
  return s.db.transaction((): Checkpoint => {
    const found = findCheckpoint(cps, head, st, filePath);
    // A copy made by copytruncate (another inode at another path) may be shorter than what was read from the
    // original: it then has nothing new, and reading it again from the start would count its lines twice.
    const inPlace = found && ((found.dev === st.dev && found.ino === st.ino) || found.path === filePath);
    if (found && inPlace && !gzip && st.size < found.offset) {
      s.db.prepare('UPDATE files SET offset = 0, line_no = 0 WHERE id = ?').run(found.id);
      return { ...found, offset: 0, lineNo: 0 };
    }
    if (found) return found;
    const source = s.source ?? sourceLabel(filePath);
    const id = cps.create({
      // A gzip file's size is recorded only once it has been read to its end (it marks the file complete).
      path: filePath, dev: st.dev, ino: st.ino, size: gzip ? -1 : st.size, mtimeMs: Math.floor(st.mtimeMs),
      firstLineHash: head.firstLineHash, headLen: 0, headHash: sha1(Buffer.alloc(0)), offset: 0, lineNo: 0,
      gzip, format: null, source,
    });
    return cps.get(id)!;
  }).immediate();
}

/** The content from `offset` on; for gzip also the compressed bytes read since the last call. */
function openAt(fd: number, gzip: boolean, offset: number): { stream: Readable; readBytes: () => number } {
  const HIGH_WATER = 512 * 1024;
  if (!gzip) return { stream: fs.createReadStream('', { fd, start: offset, highWaterMark: HIGH_WATER, autoClose: true }), readBytes: () => 0 };
  const raw = fs.createReadStream('', { fd, highWaterMark: HIGH_WATER, autoClose: true });
  let unreported = 0;
  raw.on('data', (c: string | Buffer) => {
    unreported += c.length;
  });
  const gunzip = zlib.createGunzip({ chunkSize: HIGH_WATER });
  raw.on('error', (e) => gunzip.destroy(e));
  const out = raw.pipe(gunzip);
  const readBytes = () => {
    const n = unreported;
    unreported = 0;
    return n;
  };
  return { stream: offset > 0 ? out.pipe(skipBytes(offset, out)) : out, readBytes };
}

/** Drops the first `n` bytes: a gzip stream can only be resumed by decompressing up to the checkpoint. */
function skipBytes(n: number, upstream: Readable): Transform {
  let left = n;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (left >= chunk.length) {
        left -= chunk.length;
        return cb();
      }
      const rest = chunk.subarray(left);
      left = 0;
      cb(null, rest);
    },
  });
  upstream.on('error', (e) => t.destroy(e));
  return t;
}

/**
 * After a rename rotation the old file sits beside the new one under another name; when the checkpoint for this
 * path points at an inode that now has a different name, that file is returned so its tail is read first.
 */
export function rotatedPredecessors(s: FileSettings, filePath: string): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(filePath);
  } catch {
    return [];
  }
  const olds = s.writer.checkpointStore.withPath(filePath).filter((c) => c.ino !== st.ino || c.dev !== st.dev);
  return olds.length === 0 ? [] : filesWithInode(path.dirname(filePath), olds);
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
