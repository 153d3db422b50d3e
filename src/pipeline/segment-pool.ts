import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FormatOptions } from '../ingest/formats/registry.js';
import type { SegmentResult } from './process-segment.js';
import type { SegmentJob } from './segment-worker.js';
import type { Dimension } from '../ingest/dimensions.js';
import type { FullNames } from '../store/batch-writer.js';
import { sizeWorkerYoungGeneration } from './small-heaps.js';

export interface PoolJob {
  buf: Buffer;
  start: number;
  format: string;
  formatOptions: FormatOptions;
  source: string;
  maxLineBytes: number;
  dimensions: Dimension[];
  fullNames: FullNames;
}

const WORKER_FILE = fileURLToPath(new URL('./segment-worker.js', import.meta.url));

/**
 * Worker threads that run processSegment, so parsing uses every core while the main thread writes to SQLite.
 * Jobs go round-robin; results are matched by id, and the caller awaits them in order.
 */
export class SegmentPool {
  private nextId = 0;
  private turn = 0;
  private readonly waiting = new Map<number, { resolve: (r: SegmentResult) => void; reject: (e: Error) => void }>();
  /** The fullNames each worker was last sent: thousands of names are sent once, not with every job. */
  private readonly sentNames: Array<FullNames | undefined>;

  private constructor(private readonly workers: Worker[]) {
    this.sentNames = workers.map(() => undefined);
    for (const w of workers) {
      w.on('message', (m: { id: number; result: SegmentResult }) => {
        const p = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        p?.resolve(m.result);
      });
      w.on('error', (e) => {
        for (const p of this.waiting.values()) p.reject(e);
        this.waiting.clear();
      });
    }
  }

  /** A pool sized to the machine, or null where workers cannot run (the compiled worker file is absent). */
  static create(): SegmentPool | null {
    if (!fs.existsSync(WORKER_FILE)) return null;
    const n = Math.max(1, Math.min(4, os.availableParallelism()));
    sizeWorkerYoungGeneration();
    return new SegmentPool(Array.from({ length: n }, () => new Worker(WORKER_FILE, { resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 48 } })));
  }

  run(job: PoolJob): Promise<SegmentResult> {
    const id = this.nextId++;
    // A copy is transferred, so the reader's buffers are never detached under it.
    const buf = new Uint8Array(job.buf);
    const k = this.turn++ % this.workers.length;
    const w = this.workers[k];
    const fullNames = this.sentNames[k] === job.fullNames ? undefined : (this.sentNames[k] = job.fullNames);
    const msg: SegmentJob = { id, buf, start: job.start, format: job.format, formatOptions: job.formatOptions, source: job.source, maxLineBytes: job.maxLineBytes, dimensions: job.dimensions, fullNames };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.postMessage(msg, [buf.buffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
