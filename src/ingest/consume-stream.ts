import type { Readable } from 'node:stream';
import type { SourcedEvent } from '../aggregate/rollup-batch.js';
import type { CheckpointPosition } from '../store/checkpoints.js';
import type { Batch, BatchWriter } from '../store/write-batch.js';
import { DecodeFailure, decodeLine, type Decoded } from './decode-line.js';
import { isBad, type FormatAdapter, type JsonRecord } from './formats/format-adapter.js';
import { detectFormat, type DetectResult } from './formats/registry.js';
import { readLines, type LineItem } from './read-lines.js';

export interface StreamTarget {
  /** File path or "stdin", as quarantine records it. */
  label: string;
  source: string;
  fileId: number | null;
  startOffset: number;
  startLine: number;
  consumeUnterminatedTail: boolean;
  /** The format to use, or null to detect it from the first records. */
  format: FormatAdapter | null;
  position(offset: number, lineNo: number, format: string): CheckpointPosition | null;
}

export interface ReadSettings {
  formats: FormatAdapter[];
  writer: BatchWriter;
  batchLines: number;
  maxLineBytes: number;
  onProgress?: (bytes: number, lines: number) => void;
  signal?: AbortSignal;
}

export interface StreamResult {
  format: string | null;
  detection: DetectResult | null;
  lines: number;
  events: number;
  quarantined: number;
  /** Valid records that are not operations (log messages, metrics a format does not read). */
  ignored: number;
  alreadyCommitted: number;
  bytes: number;
  /** Where the committed part of the stream ends. */
  offset: number;
  lineNo: number;
  /** A read error that ended the stream early (a truncated gzip); everything before it was committed. */
  readError?: string;
}

const SAMPLE_RECORDS = 20;
/** Lines held back while looking for records to detect the format from (a file may start with junk). */
const MAX_PENDING_LINES = 1000;

/**
 * Reads a stream line by line into the store. Every batch commits its events, quarantine entries and the
 * checkpoint together, so a kill between batches loses nothing committed and repeats nothing on resume.
 */
export async function consumeStream(stream: Readable, t: StreamTarget, s: ReadSettings): Promise<StreamResult> {
  const r: StreamResult = {
    format: t.format?.name ?? null, detection: null, lines: 0, events: 0, quarantined: 0, ignored: 0,
    alreadyCommitted: 0, bytes: 0, offset: t.startOffset, lineNo: t.startLine,
  };
  let adapter = t.format;
  let pendingSamples: Array<{ item: LineItem; rec: Decoded }> = [];
  let batch = newBatch(t);
  let batchLines = 0;
  let sampled = 0;

  const commit = () => {
    if (batchLines === 0) return;
    batch.position = t.position(r.offset, r.lineNo, adapter?.name ?? 'native');
    const c = s.writer.commit(batch);
    r.events += c.events;
    r.quarantined += c.quarantined;
    r.alreadyCommitted += c.alreadyCommitted;
    batch = newBatch(t);
    batch.startOffset = r.offset;
    batchLines = 0;
  };

  const handle = (item: LineItem, rec: Decoded, a: FormatAdapter) => {
    batchLines++;
    r.offset = item.end;
    r.lineNo = item.lineNo;
    if ('oversize' in item) {
      return quarantine(batch, t.label, item, `line longer than ${s.maxLineBytes} bytes`, item.snippet);
    }
    if (rec === null) return;
    if (rec instanceof DecodeFailure) return quarantine(batch, t.label, item, rec.reason, item.text);
    const out = a.toEvents(rec);
    if (isBad(out)) return quarantine(batch, t.label, item, out.bad, item.text);
    if (out.length === 0) {
      r.ignored++;
      return;
    }
    for (const e of out) {
      const ev = e as SourcedEvent;
      if (ev.source === undefined) ev.source = t.source;
      batch.events.push(ev);
      batch.ends.push(item.end);
    }
  };

  const flushSamples = () => {
    const records = pendingSamples.map((p) => p.rec).filter(isRecord);
    const det = detectFormat(records, s.formats);
    r.detection = det;
    adapter = det.adapter;
    r.format = adapter.name;
    for (const p of pendingSamples) handle(p.item, p.rec, adapter);
    pendingSamples = [];
  };

  const lines = readLines(stream, {
    startOffset: t.startOffset, startLine: t.startLine, maxLineBytes: s.maxLineBytes,
    consumeUnterminatedTail: t.consumeUnterminatedTail,
  });
  try {
    await readAll();
  } catch (e) {
    r.readError = (e as Error).message;
  }
  if (!adapter && pendingSamples.length) flushSamples();
  commit();
  return r;

  async function readAll() {
  for await (const items of lines) {
    let bytes = 0;
    for (const item of items) {
      bytes += item.end - item.start;
      const rec = 'oversize' in item ? null : decodeLine(item.text);
      if (!adapter) {
        pendingSamples.push({ item, rec });
        if (isRecord(rec)) sampled++;
        if (sampled >= SAMPLE_RECORDS || pendingSamples.length >= MAX_PENDING_LINES) flushSamples();
        continue;
      }
      handle(item, rec, adapter);
      if (batchLines >= s.batchLines) commit();
    }
    r.lines += items.length;
    r.bytes += bytes;
    s.onProgress?.(bytes, items.length);
    if (s.signal?.aborted) break;
  }
  }
}

function isRecord(x: Decoded): x is JsonRecord {
  return x !== null && !(x instanceof DecodeFailure);
}

function newBatch(t: StreamTarget): Batch {
  return { events: [], ends: [], quarantine: [], fileId: t.fileId, startOffset: t.startOffset, position: null };
}

function quarantine(b: Batch, file: string, item: LineItem, reason: string, snippet: string): void {
  b.quarantine.push({ file, line: item.lineNo, offset: item.start, reason, snippet: snippet.slice(0, 300), end: item.end });
}
