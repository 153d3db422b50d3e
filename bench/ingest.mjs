// Scenario: ingest of a generated native-format log against a bare JSON.parse loop over the same file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeLog } from '../fixtures/generate-log.mjs';
import { bareParse } from './bare-parse.mjs';
import { streamJsonParse } from './stream-json-parse.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);

export async function benchIngest({ out, lines, label }) {
  const file = path.join(out, `native-${lines}.jsonl`);
  if (!fs.existsSync(file)) await writeLog(file, { seed: 42, count: lines, gapMs: 50 });
  const mb = fs.statSync(file).size / 1e6;
  const floor = await bareParse(file);
  const sj = await streamJsonParse(file);
  const db = path.join(out, `ingest-${lines}.db`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
  const res = JSON.parse(execFileSync(process.execPath, [path.join(here, 'ingest-child.mjs'), db, file], { encoding: 'utf8' }));
  const rate = res.lines / (res.ms / 1000);
  const floorRate = floor.lines / (floor.ms / 1000);
  return {
    label, lines: res.lines, mb: +mb.toFixed(1),
    ingest: { seconds: +(res.ms / 1000).toFixed(2), linesPerSec: Math.round(rate), mbPerSec: +(mb / (res.ms / 1000)).toFixed(1), peakRssMb: Math.round(res.maxRssMb) },
    bareJsonParse: { seconds: +(floor.ms / 1000).toFixed(2), linesPerSec: Math.round(floorRate), mbPerSec: +(mb / (floor.ms / 1000)).toFixed(1) },
    ratioToBare: +(rate / floorRate).toFixed(2),
    streamJsonParseOnly: { seconds: +(sj.ms / 1000).toFixed(2), linesPerSec: Math.round(sj.lines / (sj.ms / 1000)) },
    db,
  };
}
