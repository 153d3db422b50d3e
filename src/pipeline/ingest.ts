import type { Readable } from 'node:stream';
import type { IngestStore } from '../store/store.js';
import { consumeStream, POOL_AFTER_BYTES } from './consume-stream.js';
import { SegmentPool } from './segment-pool.js';
import { expandPaths, type InputFile } from '../ingest/expand-paths.js';
import type { FormatAdapter } from '../ingest/formats/format-adapter.js';
import { allFormats, formatByName, type FormatOptions } from '../ingest/formats/registry.js';
import { gunzipIfGzip } from '../ingest/gzip-magic.js';
import { ingestFile, pendingBytes, type FileResult, type FileSettings } from './ingest-file.js';
import { forgetForReread } from './reread.js';
import { rotatedPredecessors } from './rotated-files.js';
import { JOIN_TIMEOUT_MS } from '../ingest/join-requests.js';
import { endStaleJoins } from './end-stale-joins.js';
import type { FileStatus } from './ingest-result.js';

/** What every reader of log files (ingest, watch) is given. */
export interface ReadOptions {
  store: IngestStore;
  paths: string[];
  /** "auto" or a format name. */
  format?: string;
  source?: string;
  formatOptions?: FormatOptions;
  batchLines?: number;
  maxLineBytes?: number;
  /** Distinct operation names the store takes; later ones are folded into "(other operations)". */
  maxOperations?: number;
  /** How long a request's start waits for its finish line, in ms of log time (default JOIN_TIMEOUT_MS). */
  joinTimeoutMs?: number;
}

export interface IngestOptions extends ReadOptions {
  /** `paths` already expanded (expandPaths), so that a bad path fails before the database is created. */
  inputs?: InputFile[];
  /** Bytes the files will take from disk (compressed for gzip), before reading starts; stdin is not counted. */
  onTotal?: (bytes: number) => void;
  /** Bytes read from disk (compressed for gzip; stdin as it comes) and lines, as reading goes. */
  onProgress?: (bytes: number, lines: number) => void;
  onFile?: (r: FileResult) => void;
  signal?: AbortSignal;
  stdin?: NodeJS.ReadableStream;
  /** Read the files from their start again: their streams are dropped first (reread.ts). */
  reread?: boolean;
  /**
   * Keep every file's result in `files` (the default). A run that reports only totals passes false, so that what it
   * holds does not grow with the number of files.
   */
  listFiles?: boolean;
}

export interface IngestSummary {
  /** Each input's result, in order (none when `listFiles` is false). */
  files: FileResult[];
  /** How many inputs ended with each status. */
  statuses: Record<FileStatus, number>;
  /** Files whose last line, without a newline, was held back until it is complete, and its bytes. */
  heldBack: { files: number; bytes: number };
  /** The log formats read, in the order they came. */
  formats: string[];
  /** How long a start waited for its finish line before it was counted unfinished. */
  joinTimeoutMs: number;
  lines: number;
  events: number;
  quarantined: number;
  ignored: number;
  /** Requests whose finish line has not come yet, and requests reported unfinished (join-requests.ts). */
  pending: number;
  unfinished: number;
  bytes: number;
}

export const DEFAULT_BATCH_LINES = 50_000;
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

/**
 * The settings every file read of one run shares, for ingest and watch alike, and the close of its parsing
 * workers (they start only when one read is large, a catch-up; a tail of a few appends runs inline).
 */
export function fileSettings(o: ReadOptions): { settings: FileSettings; close: () => Promise<void> } {
  const formats = allFormats(o.formatOptions);
  const forced: FormatAdapter | null = o.format && o.format !== 'auto' ? formatByName(o.format, formats) : null;
  let pool: SegmentPool | null | undefined;
  const settings: FileSettings = {
    checkpoints: o.store.checkpoints, formats, formatOptions: o.formatOptions ?? {}, format: forced, source: o.source,
    writer: o.store.batchWriter({ maxNames: o.maxOperations, maxValues: o.formatOptions?.dimensions?.maxValues }),
    batchLines: o.batchLines ?? DEFAULT_BATCH_LINES, maxLineBytes: o.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    joinTimeoutMs: o.joinTimeoutMs ?? JOIN_TIMEOUT_MS,
    pool: () => (pool === undefined ? (pool = SegmentPool.create()) : pool),
    poolRunning: () => !!pool,
  };
  return { settings, close: async () => void (await pool?.close()) };
}

/** Reads every input into the store; one failing file is reported in the summary and the others go on. */
export async function ingest(o: IngestOptions): Promise<IngestSummary> {
  const inputs = o.inputs ?? expandPaths(o.paths);
  const run = fileSettings(o);
  const settings: FileSettings = { ...run.settings, onProgress: o.onProgress, signal: o.signal, finishedFiles: true };
  const summary: IngestSummary = {
    files: [], statuses: { read: 0, unchanged: 0, waiting: 0, yielded: 0, skipped: 0, gone: 0, failed: 0 }, heldBack: { files: 0, bytes: 0 },
    formats: [], joinTimeoutMs: settings.joinTimeoutMs, lines: 0, events: 0, quarantined: 0, ignored: 0, pending: 0, unfinished: 0, bytes: 0,
  };
  // Files read in this run whose requests wait for their finish line: ending stale joins below may end them.
  const waiting = new Map<string, FileResult>();
  const add = (x: FileResult) => {
    if (o.listFiles !== false) summary.files.push(x);
    summary.statuses[x.status]++;
    if (x.heldBack) {
      summary.heldBack.files++;
      summary.heldBack.bytes += x.heldBack;
    }
    if (x.format && !summary.formats.includes(x.format)) summary.formats.push(x.format);
    if (x.status === 'read' && x.pending && !waiting.has(x.path)) waiting.set(x.path, x);
    summary.lines += x.lines ?? 0;
    summary.events += x.events ?? 0;
    summary.quarantined += x.quarantined ?? 0;
    summary.ignored += x.ignored ?? 0;
    summary.pending += x.pending ?? 0;
    summary.unfinished += x.unfinished ?? 0;
    summary.bytes += x.bytes ?? 0;
    o.onFile?.(x);
  };
  if (o.reread) forgetForReread(inputs, settings.checkpoints);
  const reads = await readOrder(inputs, settings);
  let total = 0;
  for (const r of reads()) total += r === STDIN ? 0 : pendingBytes(r, settings);
  o.onTotal?.(total);
  // A large run (many files of a few MB each, as a directory of services' logs) parses in the workers from the start.
  if (total > POOL_AFTER_BYTES) settings.pool();
  try {
    for (const r of reads()) {
      if (o.signal?.aborted) break;
      add(r === STDIN ? await ingestStdin(settings, o.stdin ?? process.stdin) : await ingestFile(r, settings));
    }
    if (!o.signal?.aborted) {
      for (const e of endStaleJoins(settings)) {
        summary.unfinished += e.unfinished;
        // A file read in this run said its requests were waiting: they are not any more.
        const read = waiting.get(e.path);
        if (read?.pending) {
          const n = Math.min(read.pending, e.unfinished);
          read.pending -= n;
          summary.pending -= n;
        }
      }
    }
  } finally {
    await run.close();
  }
  return summary;
}

const STDIN = Symbol('stdin');

/**
 * The reads in order: each file after the files its checkpoints were renamed or rotated to (a rotation leaves the
 * old file's tail under another name; it is read first), every file once. The inputs are distinct paths
 * (expandPaths), so only a path found as a predecessor can come twice: only those are remembered, and the order is
 * walked again from the inputs each time it is needed rather than held as a second list.
 */
async function readOrder(inputs: InputFile[], s: FileSettings): Promise<() => Generator<string | typeof STDIN>> {
  const before = new Map<number, string[]>();
  const predecessors = new Set<string>();
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    if (input.kind === 'stdin') continue;
    const found = await rotatedPredecessors(s.checkpoints, input.path);
    if (found.length === 0) continue;
    before.set(i, found);
    for (const p of found) predecessors.add(p);
  }
  return function* () {
    const done = new Set<string>();
    const once = (p: string) => {
      if (!predecessors.has(p)) return true;
      if (done.has(p)) return false;
      done.add(p);
      return true;
    };
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      if (input.kind === 'stdin') {
        yield STDIN;
        continue;
      }
      for (const p of before.get(i) ?? []) if (once(p)) yield p;
      if (once(input.path)) yield input.path;
    }
  };
}

/** Standard input has no checkpoint: each run reads what it is given, decompressed when it is gzip. */
async function ingestStdin(s: FileSettings, stdin: NodeJS.ReadableStream): Promise<FileResult> {
  const r = await consumeStream(
    await gunzipIfGzip(stdin as Readable),
    {
      label: 'stdin', source: s.source ?? 'stdin', fileId: null, startOffset: 0, startLine: 0,
      consumeUnterminatedTail: true, format: s.format, position: () => null,
    },
    s,
  );
  return { ...r, path: '-', status: r.readError ? 'failed' : 'read', note: r.readError };
}
