import fs from 'node:fs';
import { RequestJoiner, savedJoinState } from '../ingest/join-requests.js';
import { ConcurrentIngestError } from '../store/batch-writer.js';
import type { FileSettings } from './ingest-file.js';
import { aggregateEvents } from './process-segment.js';

/** A file whose waiting requests were counted unfinished, and how many. */
export interface EndedJoins {
  path: string;
  unfinished: number;
}

/**
 * A request's start waits for its finish in log time, which only moves on while its file is written. A file that
 * nobody has written for the join timeout has ended (a service stopped, a file rotated away and never read again):
 * the starts still waiting in it are counted unfinished. This runs after each ingest over every file with waiting
 * requests, read in this run or not, so a file renamed out of the paths that are ingested is not forgotten. The
 * file's modification time tells when it was last written; a file no longer at its path counts from when it was
 * last seen there.
 */
export function endStaleJoins(s: FileSettings, now = Date.now()): EndedJoins[] {
  const cps = s.checkpoints;
  const ended: EndedJoins[] = [];
  for (const { id, state } of cps.joinStates()) {
    const cp = cps.get(id);
    const adapter = cp && s.formats.find((f) => f.name === cp.format);
    const saved = cp && savedJoinState(state, cp.offset);
    if (!cp || !adapter?.join || !saved || saved.pending.length === 0) continue;
    if (now - lastWritten(cp) <= s.joinTimeoutMs) continue;
    const joiner = new RequestJoiner(adapter.join, saved, s.joinTimeoutMs);
    const out = joiner.flush();
    for (const e of out.events) if (e.source === undefined) e.source = cp.source;
    try {
      s.writer.commit({
        parts: out.events.length ? [aggregateEvents(out.events)] : [],
        quarantine: out.bad.map((q) => ({ file: cp.path, line: q.line, offset: q.offset, reason: q.reason, snippet: q.snippet })),
        events: out.events.length, fileId: id, startOffset: cp.offset, position: null,
        joinState: joiner.save(cp.offset), joinFrom: state,
      });
    } catch (e) {
      if (e instanceof ConcurrentIngestError) continue; // another process ended them
      throw e;
    }
    ended.push({ path: cp.path, unfinished: out.unfinished });
  }
  return ended;
}

/** When the checkpoint's file was last written: its modification time while it is still at its path. */
function lastWritten(cp: { path: string; dev: number; ino: number; mtimeMs: number }): number {
  try {
    const st = fs.statSync(cp.path);
    return st.dev === cp.dev && st.ino === cp.ino ? st.mtimeMs : cp.mtimeMs;
  } catch {
    return cp.mtimeMs;
  }
}
