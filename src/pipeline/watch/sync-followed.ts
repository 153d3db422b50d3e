import fs from 'node:fs';
import path from 'node:path';
import { filesWithInode } from '../file-identity.js';
import type { FileResult, FileSettings } from '../ingest-file.js';
import { continuesStream, rotatedPredecessors } from '../rotated-files.js';

/** What watch knows about one followed path between reads. */
export interface FollowedFile {
  readonly path: string;
  /** Named `.gz`: written whole by a compressor, so read once it settles (its content decides how it is read). */
  readonly gzip: boolean;
  /** The file last read at this path and the checkpoint it was read under. */
  dev?: number;
  ino?: number;
  fileId?: number;
  /** Where its committed lines end; its size and mtime when last looked at. */
  offset: number;
  size: number;
  mtimeMs: number;
}

export type ReadFile = (filePath: string) => Promise<FileResult>;

export const isGzipPath = (p: string): boolean => p.toLowerCase().endsWith('.gz');

/**
 * Reads what is new at one followed path, and first what the file that used to be there still held: after a
 * rename (its tail, wherever in the directory it went) and after a copytruncate (the copy's tail). Returns false
 * when the path no longer exists, so the caller forgets it.
 */
export async function syncFollowed(f: FollowedFile, s: FileSettings, read: ReadFile): Promise<boolean> {
  let st: fs.Stats;
  try {
    st = fs.statSync(f.path);
  } catch {
    await readMovedTail(f, s, read);
    return false;
  }
  const cps = s.checkpoints;
  const sameFile = st.ino === f.ino && st.dev === f.dev;
  if (!sameFile || st.size < f.offset) {
    for (const p of await rotatedPredecessors(cps, f.path)) await read(p);
  }
  const r = await read(f.path);
  if (sameFile && r.fileId !== undefined && f.fileId !== undefined && r.fileId !== f.fileId) {
    // Same inode, new stream: the file was truncated and rewritten in place; its old lines may be in a copy.
    for (const p of await rotatedPredecessors(cps, f.path)) await read(p);
  }
  f.dev = st.dev;
  f.ino = st.ino;
  f.size = st.size;
  f.mtimeMs = st.mtimeMs;
  if (r.fileId !== undefined) f.fileId = r.fileId;
  if (r.offset !== undefined) f.offset = r.offset;
  else if (r.status === 'waiting') f.offset = 0;
  return true;
}

/**
 * A followed file renamed away with no new file at its path yet: its tail is read where it went. The content is
 * checked too, since the inode of a deleted file may already belong to another one.
 */
async function readMovedTail(f: FollowedFile, s: FileSettings, read: ReadFile): Promise<void> {
  if (f.ino === undefined || f.dev === undefined || f.fileId === undefined) return;
  const old = s.checkpoints.get(f.fileId);
  if (!old) return;
  for (const p of filesWithInode(path.dirname(f.path), [{ dev: f.dev, ino: f.ino }])) {
    if (await continuesStream(s.checkpoints, p, old)) await read(p);
  }
}
