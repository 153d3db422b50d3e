import fs from 'node:fs';
import type { Checkpoint } from '../store/checkpoints.js';
import type { OpenFile } from './file-identity.js';
import type { FileSettings } from './ingest-file.js';
import type { StreamHasher } from '../core/stream-hash.js';
import { SNIPPET_MAX } from '../ingest/read-lines.js';

/**
 * A checkpoint that ends in a last line counted without its newline (a finished file's last record) meets the file
 * again. If the newline came later, it is taken as the end of that line. If the writer went on writing the same
 * line, the record already counted was only its start: the rest up to the newline is quarantined with the reason,
 * never counted a second time. Returns 'waiting' while that rest has no newline yet.
 */
export function resumeOpenLine(
  s: FileSettings,
  f: OpenFile,
  cp: Checkpoint,
  hasher: StreamHasher,
): { cp: Checkpoint; hasher: StreamHasher; quarantined: number } | 'waiting' {
  const rest = lineRest(f.fd, cp.offset, f.stat.size, s.maxLineBytes);
  if (rest === null) return 'waiting';
  if (rest.length === 0) return { cp, hasher, quarantined: 0 };
  hasher.update(rest, true);
  const offset = cp.offset + rest.length;
  const continued = rest.length > 1;
  s.writer.commit({
    parts: [], events: 0, fileId: cp.id, startOffset: cp.offset,
    quarantine: continued
      ? [{ file: f.path, line: cp.lineNo, offset: cp.offset, reason: 'continues a last line that was counted before it had a newline', snippet: rest.toString('utf8', 0, SNIPPET_MAX) }]
      : [],
    position: {
      ...f.stat, firstLineHash: cp.firstLineHash, offset, lineNo: cp.lineNo, tailOpen: false, hash: hasher.take(),
      gzip: false, format: cp.format, source: cp.source,
    },
  });
  return { cp: { ...cp, offset, tailOpen: false }, hasher, quarantined: continued ? 1 : 0 };
}

/** The bytes from `offset` through the next newline; empty at the end of the file; null when no newline follows yet. */
function lineRest(fd: number, offset: number, size: number, max: number): Buffer | null {
  if (size <= offset) return Buffer.alloc(0);
  const buf = Buffer.alloc(Math.min(size - offset, max + 1));
  const n = fs.readSync(fd, buf, 0, buf.length, offset);
  const nl = buf.subarray(0, n).indexOf(0x0a);
  return nl === -1 ? null : buf.subarray(0, nl + 1);
}
