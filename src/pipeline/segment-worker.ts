import { parentPort } from 'node:worker_threads';
import type { FormatAdapter } from '../ingest/formats/format-adapter.js';
import { allFormats, formatByName, type FormatOptions } from '../ingest/formats/registry.js';
import { processSegment } from './process-segment.js';
import type { Dimension } from '../ingest/dimensions.js';
import type { FullNames } from '../store/batch-writer.js';
import type { EncodedChunk } from '../store/event-chunks.js';
import { keepHeapsSmall } from './small-heaps.js';

export interface SegmentJob {
  id: number;
  buf: Uint8Array;
  start: number;
  format: string;
  formatOptions: FormatOptions;
  source: string;
  maxLineBytes: number;
  dimensions: Dimension[];
  /** Sent when it changed since this worker's last job (SegmentPool). */
  fullNames?: FullNames;
}

keepHeapsSmall();

// Adapters are rebuilt only when a job names another format or options (one file after another).
let cachedKey = '';
let cached: FormatAdapter | null = null;
let fullNames: FullNames = {};

parentPort!.on('message', (job: SegmentJob) => {
  const key = job.format + JSON.stringify(job.formatOptions);
  if (key !== cachedKey || !cached) {
    cached = formatByName(job.format, allFormats(job.formatOptions));
    cachedKey = key;
  }
  if (job.fullNames) fullNames = job.fullNames;
  const buf = Buffer.from(job.buf.buffer, job.buf.byteOffset, job.buf.byteLength);
  const result = processSegment(buf, job.start, { adapter: cached, source: job.source, maxLineBytes: job.maxLineBytes, dimensions: job.dimensions, fullNames });
  parentPort!.postMessage({ id: job.id, result }, [packChunks(result.chunks)]);
});

/**
 * Moves a segment's raw chunks into one buffer, which is transferred: the main thread then holds one allocation per
 * segment instead of one per chunk (a log with thousands of operations makes thousands of small chunks a segment,
 * allocated in this thread and freed in the other, which fragments the heap the two share).
 */
function packChunks(chunks: EncodedChunk[]): ArrayBuffer {
  let total = 0;
  for (const c of chunks) total += c.data.length;
  const packed = Buffer.alloc(total);
  let at = 0;
  for (const c of chunks) {
    c.data.copy(packed, at);
    c.data = packed.subarray(at, at + c.data.length);
    at += c.data.length;
  }
  return packed.buffer as ArrayBuffer;
}
