import fs from 'node:fs';
import path from 'node:path';
import type { Checkpoint } from '../../store/sqlite/checkpoints.js';
import { describeHead, readHead, sha1 } from '../file-identity.js';
import { isGzipFile } from '../../ingest/gzip-magic.js';

/**
 * After copytruncate, the lines a checkpoint had not read yet exist only in the copy (`app.log.1`, a name a
 * directory is not searched for): the files beside the log whose first bytes are the checkpoint's. Reading such
 * a file resumes that checkpoint, since ingest recognises a stream by the same head hash.
 */
export function copiesOf(cp: Checkpoint, dir: string, except: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const skip = path.resolve(except);
  return names.map((n) => path.join(dir, n)).filter((p) => path.resolve(p) !== skip && continuesStream(p, cp));
}

/** Whether the file at `p` begins with the bytes the checkpoint has read: the stream continues there. */
export function continuesStream(p: string, cp: Checkpoint): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, 'r');
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size === 0) return false;
    const gzip = isGzipFile(fd);
    const bytes = readHead(fd, gzip, st.size);
    return (
      describeHead(bytes, gzip).firstLineHash === cp.firstLineHash &&
      cp.headLen <= bytes.length &&
      sha1(bytes.subarray(0, cp.headLen)) === cp.headHash
    );
  } catch {
    return false; // unreadable, not gzip after all, or gone meanwhile: not the copy
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
