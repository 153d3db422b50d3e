import type { Db } from '../store/open-store.js';
import { BatchWriter } from '../store/write-batch.js';
import { consumeStream } from './consume-stream.js';
import { SegmentPool } from './segment-pool.js';
import { expandPaths, type InputFile } from './expand-paths.js';
import type { FormatAdapter } from './formats/format-adapter.js';
import { allFormats, formatByName, type FormatOptions } from './formats/registry.js';
import { ingestFile, rotatedPredecessors, type FileResult, type FileSettings } from './ingest-file.js';

/** What every reader of log files (ingest, watch) is given. */
export interface ReadOptions {
  db: Db;
  paths: string[];
  /** "auto" or a format name. */
  format?: string;
  source?: string;
  formatOptions?: FormatOptions;
  batchLines?: number;
  maxLineBytes?: number;
  /** Distinct operation names the store takes; later ones are folded into "(other operations)". */
  maxOperations?: number;
}

export interface IngestOptions extends ReadOptions {
  onProgress?: (bytes: number, lines: number) => void;
  onFile?: (r: FileResult) => void;
  signal?: AbortSignal;
  stdin?: NodeJS.ReadableStream;
}

export interface IngestSummary {
  files: FileResult[];
  lines: number;
  events: number;
  quarantined: number;
  ignored: number;
  bytes: number;
}

export const DEFAULT_BATCH_LINES = 50_000;
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

/** Reads every input into the store; one failing file is reported in the summary and the others go on. */
export async function ingest(o: IngestOptions): Promise<IngestSummary> {
  const inputs = expandPaths(o.paths);
  const formats = allFormats(o.formatOptions);
  const forced: FormatAdapter | null = o.format && o.format !== 'auto' ? formatByName(o.format, formats) : null;
  let pool: SegmentPool | null | undefined;
  const settings: FileSettings = {
    db: o.db, formats, formatOptions: o.formatOptions ?? {}, writer: new BatchWriter(o.db, o.maxOperations), format: forced, source: o.source,
    batchLines: o.batchLines ?? DEFAULT_BATCH_LINES, maxLineBytes: o.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    pool: () => (pool === undefined ? (pool = SegmentPool.create()) : pool),
    onProgress: o.onProgress, signal: o.signal,
  };
  const summary: IngestSummary = { files: [], lines: 0, events: 0, quarantined: 0, ignored: 0, bytes: 0 };
  const done = new Set<string>();
  const run = async (input: InputFile) => {
    const r = input.kind === 'stdin' ? await ingestStdin(settings, o.stdin ?? process.stdin) : await readFileWithPredecessors(input, settings, done);
    for (const x of Array.isArray(r) ? r : [r]) {
      summary.files.push(x);
      summary.lines += x.lines ?? 0;
      summary.events += x.events ?? 0;
      summary.quarantined += x.quarantined ?? 0;
      summary.ignored += x.ignored ?? 0;
      summary.bytes += x.bytes ?? 0;
      o.onFile?.(x);
    }
  };
  try {
    for (const input of inputs) {
      if (o.signal?.aborted) break;
      await run(input);
    }
  } finally {
    await pool?.close();
  }
  return summary;
}

async function readFileWithPredecessors(input: Extract<InputFile, { kind: 'file' }>, s: FileSettings, done: Set<string>): Promise<FileResult[]> {
  const out: FileResult[] = [];
  for (const old of rotatedPredecessors(s, input.path)) {
    if (done.has(old)) continue;
    done.add(old);
    out.push(await ingestFile(old, old.toLowerCase().endsWith('.gz'), s));
  }
  if (!done.has(input.path)) {
    done.add(input.path);
    out.push(await ingestFile(input.path, input.gzip, s));
  }
  return out;
}

/** Standard input has no checkpoint: each run reads what it is given. */
async function ingestStdin(s: FileSettings, stdin: NodeJS.ReadableStream): Promise<FileResult> {
  const r = await consumeStream(
    stdin as import('node:stream').Readable,
    {
      label: 'stdin', source: s.source ?? 'stdin', fileId: null, startOffset: 0, startLine: 0,
      consumeUnterminatedTail: true, format: s.format, position: () => null,
    },
    s,
  );
  return { ...r, path: '-', status: r.readError ? 'failed' : 'read', note: r.readError };
}
