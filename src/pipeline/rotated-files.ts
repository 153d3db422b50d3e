import fs from 'node:fs';
import path from 'node:path';
import type { Checkpoint, Checkpoints } from '../store/checkpoints.js';
import { filesWithInode, identify, readHead, statOf, verifyInPlace } from './file-identity.js';
import { isGzipFile } from '../ingest/gzip-magic.js';

/**
 * Where the stream last read at `filePath` went when that file no longer holds it: renamed (found by its inode),
 * or copied and compressed under a rotated name beside it (`app.log.1`, `app.log.2.gz`, `app.log-20261120`; found by
 * content, see file-identity.ts). Those files are read first, so the rest of the old stream is never lost, whether
 * or not the directory walk lists rotated names.
 */
export async function rotatedPredecessors(cps: Checkpoints, filePath: string): Promise<string[]> {
  let st: fs.Stats;
  try {
    st = fs.statSync(filePath);
  } catch {
    return [];
  }
  const olds = cps.withPath(filePath).filter((c) => c.offset > 0 && !stillHolds(cps, filePath, st, c));
  if (olds.length === 0) return [];
  const dir = path.dirname(filePath);
  const base = path.basename(filePath);
  const found = filesWithInode(dir, olds).filter((p) => p !== filePath);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    /* the directory went away: nothing to find */
  }
  for (const name of names) {
    const p = path.join(dir, name);
    if (name === base || !name.startsWith(base) || found.includes(p)) continue;
    for (const c of olds) {
      if (await continuesStream(cps, p, c)) {
        found.push(p);
        break;
      }
    }
  }
  return found;
}

/** Whether the file at the checkpoint's path is still its stream (unchanged since, or proven by its bytes). */
function stillHolds(cps: Checkpoints, filePath: string, st: fs.Stats, c: Checkpoint): boolean {
  if (st.dev !== c.dev || st.ino !== c.ino || st.size < c.offset) return false;
  if (st.size === c.size && Math.floor(st.mtimeMs) === c.mtimeMs) return true;
  if (c.gzip) return true;
  let fd: number | undefined;
  try {
    fd = fs.openSync(filePath, 'r');
    return verifyInPlace(cps, fd, c) !== null;
  } catch {
    return true; // unreadable now: the read reports it
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Whether the file at `p` holds the checkpoint's stream (proven by content, see file-identity.ts). */
export async function continuesStream(cps: Checkpoints, p: string, cp: Checkpoint): Promise<boolean> {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, 'r');
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size === 0) return false;
    const f = { fd, path: p, gzip: isGzipFile(fd), stat: statOf(p, st) };
    const head = readHead(f);
    if (head.firstLineHash !== cp.firstLineHash) return false;
    const id = await identify(cps, f, head);
    return id.kind === 'resume' && id.cp.id === cp.id;
  } catch {
    return false; // unreadable, not gzip after all, or gone meanwhile: not the copy
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
