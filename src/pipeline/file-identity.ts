import { createHash } from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import type { Checkpoint, Checkpoints } from '../store/sqlite/checkpoints.js';

/** Bytes hashed to recognise a stream after rename or copy (Filebeat's fingerprint identity uses the same size). */
export const HEAD_BYTES = 1024;

export interface FileHead {
  bytes: Buffer;
  /** Hash of the first line (or of the head when the first line is longer). */
  firstLineHash: string;
  /** False while the file holds no complete line yet. */
  hasLine: boolean;
}

export function sha1(b: Buffer): string {
  return createHash('sha1').update(b).digest('hex');
}

/** The first bytes of a file's content, decompressed for gzip. */
export function readHead(fd: number, gzip: boolean, size: number): Buffer {
  if (!gzip) {
    const buf = Buffer.alloc(Math.min(HEAD_BYTES, size));
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  }
  // A prefix of the compressed file is enough for 1 KiB of content; SYNC_FLUSH reads a prefix without error.
  const compressed = Buffer.alloc(Math.min(size, 16 * 1024));
  const n = fs.readSync(fd, compressed, 0, compressed.length, 0);
  const out = zlib.gunzipSync(compressed.subarray(0, n), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return out.subarray(0, HEAD_BYTES);
}

export function describeHead(bytes: Buffer, complete: boolean): FileHead {
  const nl = bytes.indexOf(0x0a);
  const hasLine = nl !== -1 || bytes.length >= HEAD_BYTES || (complete && bytes.length > 0);
  const first = nl === -1 ? bytes : bytes.subarray(0, nl + 1);
  return { bytes, firstLineHash: sha1(first), hasLine };
}

/**
 * The checkpoint of the stream this file continues, if any: same first line and the same bytes over the length
 * the checkpoint has read. Renamed (same inode) and copied (copytruncate) files both match; same inode wins.
 */
export function findCheckpoint(
  cps: Checkpoints,
  head: FileHead,
  st: { dev: number; ino: number },
  filePath: string,
): Checkpoint | undefined {
  const matches = cps
    .withFirstLine(head.firstLineHash)
    .filter((c) => c.headLen <= head.bytes.length && sha1(head.bytes.subarray(0, c.headLen)) === c.headHash);
  return (
    matches.find((c) => c.dev === st.dev && c.ino === st.ino) ??
    matches.find((c) => c.path === filePath) ??
    matches.sort((a, b) => b.offset - a.offset)[0]
  );
}
