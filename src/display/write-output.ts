import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EXIT, OplensError } from '../errors.js';

/**
 * Writes an output file the safe way: a new temp file beside it (created exclusively, so nothing planted at that
 * name is followed), then a rename over the final name, which replaces a symlink there instead of writing through
 * it. A reader (a web server, a mail job) never sees half a file.
 */
export function writeOutputFile(file: string, text: string, what = 'file'): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(tmp, text, { flag: 'wx', mode: 0o644 });
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // The directory itself is unusable; the error about it is the one to report.
    }
    throw outputError(e, file, what);
  }
}

function outputError(e: unknown, file: string, what: string): OplensError {
  const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    const blocker = firstNonDirectory(path.dirname(file));
    return new OplensError(
      `cannot write ${what} ${file}: ${blocker ?? path.dirname(file)} is a file, not a directory`,
      EXIT.failure,
      'pass a directory to --out (it is created if missing), or a file name whose extension names the format',
    );
  }
  if (code === 'EISDIR') return new OplensError(`cannot write ${what} ${file}: it is a directory`, EXIT.failure, 'pass another --out');
  return new OplensError(`cannot write ${what} ${file} (${code})`, EXIT.failure, 'check that the --out directory is writable');
}

/** The first existing path on the way to `dir` that is not a directory. */
function firstNonDirectory(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      if (!fs.statSync(d).isDirectory()) return d;
      return null;
    } catch {
      if (path.dirname(d) === d) return null;
    }
  }
}
