import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { query, runCli, tmpDir } from '../helpers/cli.js';
import { REAL } from './real-corpus.js';

/** The real Telemetry API batches, one JSON array per line; the second gets a bad element and a non-object. */
const batches = fs.readFileSync(path.join(REAL, 'lambda/telemetry-api-batches.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as any[]);
const report = (b: any[]) => b.find((r) => r.type === 'platform.report');

describe('a JSON array on a line: each element is a record', () => {
  const damaged = [...batches[1]];
  const badReport = { ...report(damaged), record: { ...report(damaged).record, metrics: { ...report(damaged).record.metrics, durationMs: -5 } } };
  damaged.splice(3, 0, 'not a record');
  damaged.push(badReport);
  const lines = [JSON.stringify(batches[0]), JSON.stringify(damaged)];

  it('the good elements count, each bad one is quarantined with its file, line and element index, and a resumed run counts nothing twice', () => {
    const dir = tmpDir('oplens-array-');
    const log = path.join(dir, 'telemetry.jsonl');
    const db = path.join(dir, 'oplens.db');
    fs.writeFileSync(log, lines.join('\n') + '\n');
    const first = runCli(['--db', db, 'ingest', log], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout + first.stderr).toMatch(/2 quarantined/);
    // Resumed after more lines came: the damaged line is not read again.
    fs.appendFileSync(log, JSON.stringify(batches[0]) + '\n');
    expect(runCli(['--db', db, 'ingest', log], { cwd: dir }).code).toBe(0);
    const a = runCli(['--db', db, 'analyze', '--since', '2022-10-01', '--until', '2023-12-01', '--exact', '--format', 'json', '--no-compare'], { cwd: dir });
    expect(a.code, a.stderr).toBe(0);
    const o = JSON.parse(a.stdout).overall;
    const durations = [report(batches[0]), report(damaged), report(batches[0])].map((r) => r.record.metrics.durationMs);
    expect({ count: o.count, durations: o.durationCount, max: o.max }).toEqual({ count: 3, durations: 3, max: Math.max(...durations) });
    const q = query<{ file: string; line: number; reason: string; snippet: string }>(db, 'SELECT file, line, reason, snippet FROM quarantine ORDER BY id');
    expect(q.map((x) => [x.file, x.line, x.reason, x.snippet.slice(0, x.snippet.indexOf(':'))])).toEqual([
      [log, 2, 'not an object', 'element 3 of 12'],
      [log, 2, 'duration is negative', 'element 11 of 12'],
    ]);
  });

  it('a line whose elements are all not objects is one bad line', () => {
    const dir = tmpDir('oplens-array-');
    const log = path.join(dir, 'telemetry.jsonl');
    const db = path.join(dir, 'oplens.db');
    fs.writeFileSync(log, `${lines[0]}\n[1, "two", [3]]\n`);
    expect(runCli(['--db', db, 'ingest', log], { cwd: dir }).code).toBe(0);
    expect(query(db, 'SELECT line, reason FROM quarantine')).toEqual([{ line: 2, reason: 'an array whose elements are not all objects' }]);
  });
});
