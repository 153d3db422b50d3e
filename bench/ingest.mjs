// Scenario: `oplens ingest` of an input into a fresh database (a new process, as a user runs it) against a bare
// JSON.parse loop over the same bytes, measured alternately in the same run.
import fs from 'node:fs';
import path from 'node:path';
import { bareParse } from './bare-parse.mjs';
import { input } from './inputs.mjs';
import { streamJsonParse } from './stream-json-parse.mjs';
import { median, ratio, runOplens, seconds } from './timing.mjs';

export function freshDb(db) {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
}

/** kind and lines as in inputs.mjs; runs: ingests and floors measured, alternately (median reported). */
export async function benchIngest({ out, kind, lines, runs, streamJson = false }) {
  const inp = await input(out, kind, lines);
  const db = path.join(out, `ingest-${kind}-${lines}.db`);
  const ingestMs = [];
  const floorMs = [];
  let rss = 0;
  let bytes = 0;
  let floorLines = 0;
  for (let i = 0; i < runs; i++) {
    const floor = await bareParse(inp.files);
    floorMs.push(floor.ms);
    floorLines = floor.lines;
    bytes = floor.bytes;
    freshDb(db);
    const r = runOplens(['--db', db, 'ingest', ...inp.paths]);
    ingestMs.push(r.ms);
    rss = Math.max(rss, r.peakRssMb);
  }
  const ms = median(ingestMs);
  const fms = median(floorMs);
  const mb = bytes / 1e6;
  const result = {
    label: `ingest, ${kind} input, ${lines.toLocaleString('en-US')} lines`,
    kind, lines, files: inp.files.length, mb: +mb.toFixed(1), runs,
    ingest: { seconds: seconds(ms), linesPerSec: Math.round(lines / (ms / 1000)), mbPerSec: +(mb / (ms / 1000)).toFixed(1), peakRssMb: rss, runsSeconds: ingestMs.map(seconds) },
    bareJsonParse: { seconds: seconds(fms), linesPerSec: Math.round(floorLines / (fms / 1000)), mbPerSec: +(mb / (fms / 1000)).toFixed(1), runsSeconds: floorMs.map(seconds) },
    ratioToBare: ratio(fms, ms),
    goals: { ratioToBare: '>= 1.0', peakRssMb: '<= 200' },
    db,
  };
  if (streamJson) {
    const sj = await streamJsonParse(inp.files[0]);
    result.streamJsonParseOnly = { seconds: seconds(sj.ms), linesPerSec: Math.round(sj.lines / (sj.ms / 1000)) };
  }
  return result;
}
