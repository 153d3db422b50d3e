import fs from 'node:fs';
import path from 'node:path';
import { DecodeFailure, decodeLine } from '../../src/ingest/decode-line.js';
import { isBad, type FormatAdapter, type JsonRecord } from '../../src/ingest/formats/format-adapter.js';
import { allFormats, detectFormat } from '../../src/ingest/formats/registry.js';
import type { OpEvent } from '../../src/core/op-event.js';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/formats');

/** The records of a fixture file, decoded as ingest decodes them (text prefixes skipped). */
export function records(file: string): JsonRecord[] {
  return fs
    .readFileSync(path.join(FIXTURES, file), 'utf8')
    .split('\n')
    .map((l) => decodeLine(l))
    .flatMap((r) => (r === null || r instanceof DecodeFailure ? [] : Array.isArray(r) ? r : [r]));
}

/** The format auto-detection picks for a fixture. */
export function detected(file: string): string {
  return detectFormat(records(file), allFormats()).adapter.name;
}

/** Every record mapped by the adapter: [record, events] pairs, failing the test on a quarantined record. */
export function mapAll(adapter: FormatAdapter, recs: JsonRecord[]): Array<[JsonRecord, OpEvent[]]> {
  return recs.map((r) => {
    const out = adapter.toEvents(r);
    if (isBad(out)) throw new Error(`record quarantined (${out.bad}): ${JSON.stringify(r).slice(0, 200)}`);
    return [r, out];
  });
}

/** Events of a fixture read with the adapter. */
export function eventsOf(adapter: FormatAdapter, file: string): OpEvent[] {
  return mapAll(adapter, records(file)).flatMap(([, e]) => e);
}
