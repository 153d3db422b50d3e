import fs from 'node:fs';
import { InputError } from '../errors.js';
import type { InputFile } from '../ingest/expand-paths.js';
import type { Checkpoint, Checkpoints } from '../store/checkpoints.js';

/**
 * `ingest --reread`: the named files are read again from their start, after a change to how they are read (a
 * `fields` mapping added for a log that gave no events). Their streams (found by path and by inode) are dropped
 * first, all or none, in one write transaction. A stream that stored events cannot be dropped: its events are summed
 * into the per-minute and hourly rollups with those of other files, so reading it again would count them twice.
 */
export function forgetForReread(inputs: InputFile[], cps: Checkpoints): number {
  return cps.exclusive(() => {
    let forgotten = 0;
    for (const input of inputs) {
      if (input.kind !== 'file') continue;
      const streams = streamsOf(input.path, cps);
      const events = streams.reduce((n, c) => n + c.events, 0);
      if (events > 0) {
        throw new InputError(
          `--reread: ${input.path} already gave ${events.toLocaleString('en-US')} events to the store; reading it again would count them twice`,
          "a file's events are summed into the rollups with those of other files and cannot be taken out alone: to read it " +
            'differently, move the database aside and ingest all the logs again',
        );
      }
      for (const c of streams) cps.forget(c.id);
      forgotten += streams.length;
    }
    return forgotten;
  });
}

function streamsOf(p: string, cps: Checkpoints): Checkpoint[] {
  const byId = new Map(cps.withPath(p).map((c) => [c.id, c]));
  try {
    const st = fs.statSync(p);
    for (const c of cps.withInode(st.dev, st.ino)) byId.set(c.id, c);
  } catch {
    /* gone: only its path names it */
  }
  return [...byId.values()];
}
