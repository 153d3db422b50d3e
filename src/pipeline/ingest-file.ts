import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Checkpoint, Checkpoints } from '../store/checkpoints.js';
import { consumeStream, UnknownFormatError, type ReadSettings, type StreamResult } from './consume-stream.js';
import { DecodeFailure, decodeLine } from '../ingest/decode-line.js';
import { identify, readHead, statOf, type FileHead, type Identity, type OpenFile } from './file-identity.js';
import type { FormatAdapter } from '../ingest/formats/format-adapter.js';
import { isGzipFile } from '../ingest/gzip-magic.js';
import { sourceLabel } from '../ingest/source-label.js';
import type { StreamHasher } from '../core/stream-hash.js';
import { resumeOpenLine } from './open-line.js';
import type { FileStatus } from './ingest-result.js';

export interface FileSettings extends ReadSettings {
  checkpoints: Checkpoints;
  /** A forced format, or null for auto-detection. */
  format: FormatAdapter | null;
  source?: string;
  /**
   * Whether a plain file's last line without a newline may be taken as complete when the file is not being
   * written (ingest); watch follows live files and always waits for the newline.
   */
  finishedFiles?: boolean;
}

export interface FileResult extends Partial<StreamResult> {
  path: string;
  status: FileStatus;
  /** The checkpoint the file was read under: a new id at the same inode means the file was rewritten in place. */
  fileId?: number;
  /** Why a file failed or was left, for the summary, and what to do about it. */
  note?: string;
  hint?: string;
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
    if (code === 'ENOENT') return gone(filePath, s.checkpoints);
    return { path: filePath, status: 'failed', note: `cannot open (${code})` };
  }
  let closeFd = true;
  try {
    const st = fs.fstatSync(fd);
    const gzip = isGzipFile(fd);
    const f: OpenFile = { fd, path: filePath, gzip, stat: statOf(filePath, st) };
    const cps = s.checkpoints;
    const same = cps.withPath(filePath).find((c) => c.dev === st.dev && c.ino === st.ino && c.size === st.size && c.mtimeMs === f.stat.mtimeMs);
    if (same && (gzip || same.offset === st.size)) return { path: filePath, status: 'unchanged', fileId: same.id, format: same.format, offset: same.offset };
    if (st.size === 0) return { path: filePath, status: 'waiting', note: 'empty file' };

    let head: FileHead;
    try {
      head = readHead(f);
    } catch (e) {
      return { path: filePath, status: 'failed', note: `not a readable gzip file (${(e as Error).message})` };
    }
    if (!head.hasLine && !(head.openOnly && s.finishedFiles)) return { path: filePath, status: 'waiting', note: 'no complete line yet', heldBack: head.bytes.length };
    if (!looksLikeJsonLines(filePath, head.bytes)) {
      return { path: filePath, status: 'skipped', note: 'not JSON Lines: its first line is not a JSON object (a pretty-printed JSON document?)' };
    }

    const id = await identify(cps, f, head);
    if (id.kind === 'live-copy') return { path: filePath, status: 'skipped', note: `a copy of ${id.of}, which is read under its own name` };
    const claimed = claim(s, f, head, id);
    if (claimed === null) return { path: filePath, status: 'yielded', note: 'left to another oplens process (it is reading this file)' };
    if (id.kind === 'prefix') {
      return { path: filePath, status: 'unchanged', fileId: claimed.cp.id, note: `a copy of the start of ${id.of.path}, already read` };
    }
    let { cp, hasher } = claimed;
    let extra: Partial<FileResult> = {};
    if (cp.tailOpen && !gzip) {
      const open = resumeOpenLine(s, f, cp, hasher);
      if (open === 'waiting') return { path: filePath, status: 'waiting', fileId: cp.id, note: 'its last line grows after it was counted; waiting for its newline' };
      ({ cp, hasher } = open);
      extra = { quarantined: open.quarantined };
    }

    const source = s.source ?? cp.source;
    const format = s.format ?? (cp.format ? s.formats.find((x) => x.name === cp.format) ?? null : null);
    closeFd = false; // the stream owns the descriptor from here
    const { stream, readBytes } = openAt(fd, gzip, cp.offset, st.size);
    let result: StreamResult;
    try {
      result = await consumeStream(
        stream,
        {
          label: filePath, source, fileId: cp.id, startOffset: cp.offset, startLine: cp.lineNo, hasher,
          consumeUnterminatedTail: gzip || (!!s.finishedFiles && ((tail) => isFinished(filePath, st, tail))), format,
          joinState: cps.joinState(cp.id),
          position: (at) => ({
            ...f.stat, size: gzip ? -1 : st.size, firstLineHash: head.firstLineHash, offset: at.offset, lineNo: at.lineNo,
            tailOpen: at.tailOpen, hash: at.hash!, gzip, format: at.format, source,
          }),
        },
        // Progress counts bytes read from disk, compressed for gzip, as pendingBytes totals them.
        gzip ? { ...s, onProgress: s.onProgress && ((_b, lines) => s.onProgress!(readBytes(), lines)) } : s,
      );
    } catch (e) {
      if (e instanceof UnknownFormatError) return { path: filePath, status: 'failed', fileId: cp.id, note: e.message, hint: e.hint };
      throw e;
    } finally {
      stream.destroy();
    }
    const note = id.kind === 'unproven' ? `starts like ${id.like.path} but is not a proven copy of what was read from it: read as a new file` : undefined;
    if (extra.quarantined) result.quarantined += extra.quarantined;
    if (result.yielded) return { ...result, path: filePath, status: 'yielded', note: `left to another oplens process (${result.yielded})` };
    if (result.readError) {
      // A truncated or corrupt gzip ends where the damage starts; the lines before it were committed.
      const what = gzip ? 'gzip data is truncated or corrupt' : 'read error';
      return { path: filePath, status: 'failed', fileId: cp.id, note: `${what} (${result.readError})`, ...result };
    }
    // Only a gzip file read to its end is marked complete (its size recorded), so an interrupted one resumes.
    if (gzip && !s.signal?.aborted) cps.markComplete(cp.id, st.size, f.stat.mtimeMs);
    return { path: filePath, status: 'read', fileId: cp.id, note, ...result };
  } finally {
    if (closeFd) fs.closeSync(fd);
  }
}

/**
 * A file listed, then gone when its turn came: logrotate compressed it (`app.log.1` → `app.log.2.gz`) or removed it
 * meanwhile. When every stream last seen at this path had been read to the end it had then, nothing was lost and
 * nothing is said (whatever was appended later moved with it, and is read from its new name by content). Otherwise
 * its unread lines are in the file rotation moved them to: that file is read under its own name, exactly once.
 */
function gone(filePath: string, cps: Checkpoints): FileResult {
  const streams = cps.withPath(filePath);
  if (streams.length > 0 && streams.every((c) => (c.gzip ? c.size >= 0 : c.offset > 0 && c.offset >= c.size))) {
    return { path: filePath, status: 'unchanged', note: 'rotated away after it was read' };
  }
  return {
    path: filePath, status: 'gone',
    note: 'removed before it was read (rotated away?): its lines are read from the file it was rotated to, under that name, when the directory is ingested or watched',
  };
}

/**
 * The bytes reading this file will take from disk (the progress bar's total): a plain file from its checkpoint
 * on, a gzip file whole unless it was read to its end before (a gzip stream resumes by decompressing from the
 * start). The checkpoint is the one this path had for this inode, as for the "unchanged" test above.
 */
export function pendingBytes(filePath: string, s: Pick<FileSettings, 'checkpoints'>): number {
  let fd: number;
  try {
    fd = fs.openSync(filePath, 'r');
  } catch {
    return 0;
  }
  try {
    const st = fs.fstatSync(fd);
    const cp = s.checkpoints.withPath(filePath).find((c) => c.dev === st.dev && c.ino === st.ino);
    if (isGzipFile(fd)) return cp && cp.size === st.size ? 0 : st.size;
    return cp && cp.offset <= st.size ? st.size - cp.offset : st.size;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A plain file's last line without a newline counts when it is a complete JSON record and the file did not change
 * while it was read (same inode, size and modification time): a writer that has stopped, not one mid-line.
 * Should the line still grow later, the next run sees that (the checkpoint records it) and never counts it twice.
 */
function isFinished(filePath: string, before: fs.Stats, tail: Buffer): boolean {
  const rec = decodeLine(tail.toString('utf8'));
  if (rec === null || rec instanceof DecodeFailure) return false;
  try {
    const now = fs.statSync(filePath);
    return now.ino === before.ino && now.dev === before.dev && now.size === before.size && now.mtimeMs === before.mtimeMs;
  } catch {
    return false;
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
 * Takes the checkpoint the identity found (or creates one) inside a write transaction, so two processes reading a
 * new file at once agree on one checkpoint. Returns null when another process moved the checkpoint meanwhile.
 */
function claim(s: FileSettings, f: OpenFile, head: FileHead, id: Exclude<Identity, { kind: 'live-copy' }>): { cp: Checkpoint; hasher: StreamHasher } | null {
  const cps = s.checkpoints;
  const stat = { ...f.stat, size: f.gzip ? -1 : f.stat.size };
  return cps.exclusive(() => {
    if (id.kind === 'resume') {
      const now = cps.get(id.cp.id);
      if (!now || now.offset !== id.cp.offset) return null;
      if (id.moved) cps.relocate(now.id, stat);
      return { cp: { ...now, ...stat }, hasher: id.hasher };
    }
    // Another process may have created this file's checkpoint since the lookup (or a run stopped before its first
    // commit): the stream is read under that one.
    const fresh = cps.withInode(f.stat.dev, f.stat.ino).find((c) => c.path === f.path && c.offset === 0 && c.firstLineHash === head.firstLineHash);
    if (fresh && id.kind !== 'prefix') return { cp: fresh, hasher: id.hasher };
    const source = s.source ?? sourceLabel(f.path);
    const cp = cps.create({ ...stat, firstLineHash: head.firstLineHash, gzip: f.gzip, source });
    if (id.kind === 'prefix') {
      // Recorded as read to its end, so later runs find it unchanged without hashing it again.
      const hash = id.hasher.take();
      cps.advance(cp.id, {
        ...stat, size: f.stat.size, firstLineHash: head.firstLineHash, offset: hash.offset, lineNo: 0, tailOpen: false, hash,
        gzip: f.gzip, format: id.of.format, source,
      }, { events: 0, quarantined: 0 });
    }
    return { cp, hasher: id.hasher };
  });
}

/** The content from `offset` on; for gzip also the compressed bytes read since the last call. */
function openAt(fd: number, gzip: boolean, offset: number, size: number): { stream: Readable; readBytes: () => number } {
  const HIGH_WATER = 512 * 1024;
  if (!gzip) {
    // Each read allocates a buffer of highWaterMark bytes, freed only when collected: a small file (or tail) asks
    // for what it holds, not for 512 KB twice, so a run over 100,000 small files does not fill memory with them.
    const highWaterMark = Math.min(HIGH_WATER, Math.max(MIN_READ, size - offset));
    return { stream: fs.createReadStream('', { fd, start: offset, highWaterMark, autoClose: true }), readBytes: () => 0 };
  }
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

/** The smallest read of a plain file: one that grows while it is read is still read in steps of this size at least. */
const MIN_READ = 16 * 1024;

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
