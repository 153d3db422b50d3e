import type { Readable } from 'node:stream';
import type { CheckpointPosition } from '../store/checkpoints.js';
import { ConfigError, OplensError } from '../errors.js';
import { ConcurrentIngestError, type Batch, type BatchWriter } from '../store/batch-writer.js';
import { decodeLine, recordsOf } from '../ingest/decode-line.js';
import type { FormatAdapter, JsonRecord } from '../ingest/formats/format-adapter.js';
import { chooseDimensions, DEFAULT_DIMENSIONS, type Dimension } from '../ingest/dimensions.js';
import { CHECK_RECORDS, checkFormat, detectFormat, type FormatOptions } from '../ingest/formats/registry.js';
import { RequestJoiner, savedJoinState, type JoinOutput } from '../ingest/join-requests.js';
import { aggregateEvents, processSegment, type SegmentResult } from './process-segment.js';
import { readSegments, type Segment, type SegmentItem } from '../ingest/read-lines.js';
import type { SegmentPool } from './segment-pool.js';
import type { BlockHash, HashState, StreamHasher } from '../core/stream-hash.js';

export interface StreamTarget {
  /** File path or "stdin", as quarantine records it. */
  label: string;
  source: string;
  fileId: number | null;
  startOffset: number;
  startLine: number;
  consumeUnterminatedTail: boolean | ((tail: Buffer) => boolean);
  /** The format to use, or null to detect it from the first records. */
  format: FormatAdapter | null;
  /** Requests that were waiting for their finish line when the checkpoint was committed (as the store kept it). */
  joinState?: unknown;
  /** Hashes the stream from startOffset on (files); the checkpoint stores the hash of what was committed. */
  hasher?: StreamHasher;
  position(at: { offset: number; lineNo: number; format: string; hash: HashState | null; tailOpen: boolean }): CheckpointPosition | null;
}

/** No known format recognises the records of a stream read from its start: nothing is stored, nothing is marked read. */
export class UnknownFormatError extends OplensError {}

export interface ReadSettings {
  formats: FormatAdapter[];
  formatOptions: FormatOptions;
  writer: BatchWriter;
  batchLines: number;
  /** Also commit once a batch is this old, so the lines of a file that keeps growing show up soon (watch). */
  commitEveryMs?: number;
  maxLineBytes: number;
  /** How long a request's start waits for its finish line, in ms of log time. */
  joinTimeoutMs: number;
  /** Started on demand for large inputs; null runs everything in this thread. */
  pool: () => SegmentPool | null;
  /** Whether the run's pool is already running: then every read uses it from its first line (it costs nothing more). */
  poolRunning: () => boolean;
  onProgress?: (bytes: number, lines: number) => void;
  signal?: AbortSignal;
}

export interface StreamResult {
  format: string | null;
  lines: number;
  events: number;
  quarantined: number;
  /** Valid records that are not operations (log messages, metrics a format does not read). */
  ignored: number;
  /** Requests whose start was read and whose finish line has not come yet (kept with the checkpoint). */
  pending: number;
  /** Requests reported as unfinished: no finish line within the join timeout, or none before the stream ended. */
  unfinished: number;
  bytes: number;
  /** Where the committed part of the stream ends. */
  offset: number;
  lineNo: number;
  /** The committed part ends in a last line that had no newline (taken as complete). */
  tailOpen: boolean;
  /** Bytes of a last line without a newline that were left for a later run. */
  heldBack: number;
  /** A read error that ended the stream early (a truncated gzip); everything before it was committed. */
  readError?: string;
  /** Another process was ingesting the same file; this run left it to that one. */
  yielded?: string;
}

/** Records held before reading: detection reads the first 20, a chosen format is checked against all. */
const SAMPLE_RECORDS = CHECK_RECORDS;
/** Bytes held back while looking for records to detect the format from (a file may start with junk). */
const MAX_SAMPLE_BYTES = 1 << 20;
/** Below this many bytes into a run everything is parsed here: starting workers costs more than it saves. */
export const POOL_AFTER_BYTES = 8 << 20;
/**
 * Rollup rows and raw chunks a batch holds at most before it commits (a bound on memory, whatever the lines): a log
 * whose every line names another operation makes rows as fast as lines. At 5,000 the benchmark's many-operations
 * log peaked about 10 MB higher; its mixed log commits 25 times instead of 22, at no measurable cost.
 */
export const MAX_BATCH_ROWS = 2_500;
/**
 * Bytes of input handed to the workers and not yet absorbed into a batch. Reading waits for the oldest result
 * past this, however fast the workers parse, so what is in flight (the segments and their results) stays bounded
 * whatever the rate at which they come back; one more segment (a read chunk, at most 2 MB) may be on its way.
 * At 2 MB each worker has its next segment (a 512 KB read) queued while the main thread commits.
 */
export const MAX_IN_FLIGHT_BYTES = 2 << 20;
/**
 * The bound while the store's names are still growing (BatchWriter.namesGrowing): a segment parsed before a cap is
 * reached cannot fold the names past it, and makes a raw chunk and rollup rows per name (thousands a segment in a
 * log with many operations), so fewer are parsed ahead of the commits that tell.
 */
export const GROWING_IN_FLIGHT_BYTES = 1 << 20;

type Pending =
  | { kind: 'segment'; seg: Segment; result: Promise<SegmentResult> | SegmentResult }
  | { kind: 'oversize'; start: number; end: number; snippet: string; hash?: HashState };

/**
 * Reads a stream into the store. Segments of whole lines are parsed in order (here or in workers), and every
 * batch commits its aggregates, raw events, quarantine entries and the checkpoint together, so a kill between
 * batches loses nothing committed and repeats nothing on resume.
 */
export async function consumeStream(stream: Readable, t: StreamTarget, s: ReadSettings): Promise<StreamResult> {
  const r: StreamResult = {
    format: t.format?.name ?? null, lines: 0, events: 0, quarantined: 0, ignored: 0, bytes: 0, pending: 0, unfinished: 0,
    offset: t.startOffset, lineNo: t.startLine, tailOpen: false, heldBack: 0,
  };
  let adapter = t.format;
  // The first records are held until the format is settled: detected unless forced, and, when the stream starts
  // at the file's beginning, checked (a mapping's paths must occur in the first lines; a resumed tail may be short).
  const fromStart = t.startOffset === 0;
  let settled = adapter !== null && (!adapter.validate || !fromStart);
  let held: SegmentItem[] = []; // waiting for format detection
  let heldBytes = 0;
  const sample: JsonRecord[] = []; // records of the held segments, decoded once as they arrive
  const queue: Pending[] = [];
  let batch = newBatch(t);
  let batchLines = 0;
  let batchBytes = 0;
  let batchRows = 0;
  // The content hash at the end of the last absorbed item, and the block boundaries passed since the last commit.
  let hash: HashState | null = null;
  let blocks: BlockHash[] = [];
  let tailOpen = false;
  let committedAt = Date.now();
  let streamBytes = 0;
  let inFlightBytes = 0;
  const inFlightLimit = () => (s.writer.namesGrowing() ? GROWING_IN_FLIGHT_BYTES : MAX_IN_FLIGHT_BYTES);
  let pool: SegmentPool | null = null;
  // Multi-line requests are joined here, in file order, whichever thread parsed their segments.
  let joiner: RequestJoiner | null = null;
  const joinerFor = (a: FormatAdapter) => {
    if (a.join && !joiner) joiner = new RequestJoiner(a.join, savedJoinState(t.joinState, t.startOffset), s.joinTimeoutMs);
  };
  const addJoined = (out: JoinOutput) => {
    for (const q of out.bad) batch.quarantine.push({ file: t.label, line: q.line, offset: q.offset, reason: q.reason, snippet: q.snippet });
    r.unfinished += out.unfinished;
    if (out.events.length === 0) return;
    for (const e of out.events) if (e.source === undefined) e.source = t.source;
    const agg = aggregateEvents(out.events);
    batch.parts.push(agg);
    batch.events += out.events.length;
    batchRows += agg.rollup.minutes.length + agg.chunks.length;
  };
  // Dimensions are chosen once per stream, from the held records (or, when the format was settled without
  // holding any, from the first segment's records).
  let dimensions: Dimension[] | null = null;
  const chooseFrom = (records: JsonRecord[], a: FormatAdapter): Dimension[] =>
    (dimensions = chooseDimensions(records, s.formatOptions.dimensions ?? DEFAULT_DIMENSIONS, a.dimensions));
  const dimensionsFor = (item: SegmentItem, a: FormatAdapter): Dimension[] => {
    if (dimensions !== null) return dimensions;
    const first: JsonRecord[] = [];
    addSample(first, item);
    return chooseFrom(first, a);
  };

  const commit = () => {
    if (batchLines === 0 && batch.parts.length === 0) return;
    batch.position = t.position({
      offset: r.offset, lineNo: r.lineNo, format: adapter?.name ?? 'native', tailOpen,
      hash: hash && { ...hash, blocks: [...blocks, ...hash.blocks] },
    });
    if (joiner) batch.joinState = joiner.save(r.offset);
    s.writer.commit(batch);
    // Counted only once committed: lines another process took meanwhile are not this run's.
    r.events += batch.events;
    r.quarantined += batch.quarantine.length;
    r.lines += batchLines;
    r.bytes += batchBytes;
    r.tailOpen = tailOpen;
    batch = newBatch(t);
    batch.startOffset = r.offset;
    batchLines = 0;
    batchBytes = 0;
    batchRows = 0;
    blocks = [];
    committedAt = Date.now();
  };

  const absorb = async (p: Pending) => {
    const item = p.kind === 'oversize' ? p : p.seg;
    if (item.hash) {
      if (hash) blocks.push(...hash.blocks);
      hash = item.hash;
    }
    tailOpen = p.kind === 'segment' && p.seg.open === true;
    if (p.kind === 'oversize') {
      r.lineNo++;
      batch.quarantine.push({ file: t.label, line: r.lineNo, offset: p.start, reason: `line longer than ${s.maxLineBytes} bytes`, snippet: p.snippet });
      r.offset = p.end;
      batchLines++;
      batchBytes += p.end - p.start;
      s.onProgress?.(p.end - p.start, 1);
    } else {
      const res = await p.result;
      inFlightBytes -= p.seg.buf.length;
      for (const q of res.quarantine) {
        batch.quarantine.push({ file: t.label, line: r.lineNo + q.lineIndex + 1, offset: q.offset, reason: q.reason, snippet: q.snippet });
      }
      batch.parts.push({ rollup: res.rollup, chunks: res.chunks, folded: res.folded });
      batch.events += res.events;
      if (res.parts.length) addJoined(joiner!.absorb(res.parts, r.lineNo + 1));
      r.ignored += res.ignored;
      r.lineNo += res.lines;
      r.offset = p.seg.end;
      batchBytes += p.seg.end - p.seg.start;
      batchLines += res.lines;
      batchRows += res.rollup.minutes.length + res.chunks.length;
      s.onProgress?.(p.seg.end - p.seg.start, res.lines);
    }
    const old = s.commitEveryMs !== undefined && Date.now() - committedAt >= s.commitEveryMs;
    // Logs with many distinct operations make many rows per line: the batch is also bounded by its rows.
    if (batchLines >= s.batchLines || batchRows >= MAX_BATCH_ROWS || old) commit();
  };

  const dispatch = async (item: SegmentItem, a: FormatAdapter) => {
    const dims = dimensionsFor(item, a);
    if ('oversize' in item) {
      queue.push({ kind: 'oversize', start: item.start, end: item.end, snippet: item.snippet, hash: item.hash });
    } else {
      streamBytes += item.buf.length;
      if (!pool && (streamBytes > POOL_AFTER_BYTES || s.poolRunning())) pool = s.pool();
      // Names the store would fold are folded while parsing, so they never make rows of their own.
      const fullNames = s.writer.fullNames();
      const result = pool
        ? pool.run({ buf: item.buf, start: item.start, format: a.name, formatOptions: s.formatOptions, source: t.source, maxLineBytes: s.maxLineBytes, dimensions: dims, fullNames })
        : processSegment(item.buf, item.start, { adapter: a, source: t.source, maxLineBytes: s.maxLineBytes, dimensions: dims, fullNames });
      queue.push({ kind: 'segment', seg: item, result });
      inFlightBytes += item.buf.length;
    }
    while (queue.length && (!pool || inFlightBytes > inFlightLimit())) await absorb(queue.shift()!);
  };

  const detectHeld = async () => {
    const records = sample;
    if (!adapter) {
      const det = detectFormat(records, s.formats);
      if (!det.known && records.length > 0 && fromStart) {
        const keys = [...new Set(records.slice(0, 5).flatMap((x) => Object.keys(x)))].slice(0, 8);
        throw new UnknownFormatError(
          `no known log format recognises its records (keys: ${keys.join(', ')}); it was not read and not marked as read`,
          undefined,
          'run `oplens detect FILE` to see why, `oplens init FILE` to write a "fields" mapping, or pass --format; then ingest it again',
        );
      }
      adapter = det.adapter;
      r.format = adapter.name;
    }
    if (fromStart) checkFormat(adapter, records, t.label);
    joinerFor(adapter);
    chooseFrom(records, adapter);
    settled = true;
    const items = held;
    held = [];
    for (const item of items) await dispatch(item, adapter);
  };

  if (settled && adapter) joinerFor(adapter);
  try {
    const segments = readSegments(stream, {
      startOffset: t.startOffset, maxLineBytes: s.maxLineBytes, consumeUnterminatedTail: t.consumeUnterminatedTail,
      hasher: t.hasher, onHeldBack: (n) => (r.heldBack = n),
    });
    for await (const item of segments) {
      if (!settled || !adapter) {
        held.push(item);
        heldBytes += 'oversize' in item ? 0 : item.buf.length;
        addSample(sample, item);
        if (heldBytes >= MAX_SAMPLE_BYTES || sample.length >= SAMPLE_RECORDS) await detectHeld();
      } else {
        await dispatch(item, adapter);
      }
      if (s.signal?.aborted) break;
    }
  } catch (e) {
    if (e instanceof ConcurrentIngestError) return { ...r, yielded: e.message };
    if (e instanceof ConfigError || e instanceof UnknownFormatError) {
      // A mapping that does not fit the file stops the run: it is the config that is wrong, not the file.
      stream.destroy();
      throw e;
    }
    r.readError = (e as Error).message;
  }
  try {
    if (!settled && held.length) await detectHeld();
    while (queue.length) await absorb(queue.shift()!);
    // A stream that ends for good (stdin, a gzip file read to its end) will bring no more finish lines; a plain
    // file whose unterminated tail may count (a function) can still grow, so its starts keep waiting.
    if (joiner && t.consumeUnterminatedTail === true && !r.readError && !s.signal?.aborted) addJoined((joiner as RequestJoiner).flush());
    commit();
    r.pending = (joiner as RequestJoiner | null)?.size ?? 0;
  } catch (e) {
    if (e instanceof ConcurrentIngestError) return { ...r, yielded: e.message };
    stream.destroy();
    throw e;
  }
  return r;
}

/** Adds the parsed objects of a held segment's first lines to the sample, up to SAMPLE_RECORDS. */
function addSample(sample: JsonRecord[], item: SegmentItem): void {
  if ('oversize' in item || sample.length >= SAMPLE_RECORDS) return;
  for (const line of item.buf.toString('utf8', 0, Math.min(item.buf.length, 256 * 1024)).split('\n')) {
    sample.push(...recordsOf(decodeLine(line)));
    if (sample.length >= SAMPLE_RECORDS) return;
  }
}

function newBatch(t: StreamTarget): Batch {
  return { parts: [], quarantine: [], events: 0, fileId: t.fileId, startOffset: t.startOffset, position: null };
}
