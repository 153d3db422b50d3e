import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';
import { REAL } from './real-corpus.js';

const FILE = path.join(REAL, 'rust-tracing/trace-layer-response-and-close.log');
const LINES = fs.readFileSync(FILE, 'utf8').split('\n').filter((l) => l !== '');
const records = LINES.map((l) => JSON.parse(l));
const responses = records.filter((r) => r.fields.message === 'finished processing request');

function analyze(dir: string, db: string): { count: number; errors: number; durations: number } {
  const a = runCli(['--db', db, 'analyze', '--since', '2026-12-01', '--until', '2026-12-03', '--exact', '--format', 'json', '--no-compare'], { cwd: dir });
  expect(a.code, a.stderr).toBe(0);
  const o = JSON.parse(a.stdout).overall;
  return { count: o.count, errors: o.errorCount, durations: o.durationCount };
}

function ingestLines(lines: string[], config?: object): { dir: string; db: string; log: string } {
  const dir = tmpDir('oplens-tower-');
  const log = path.join(dir, 'api.log');
  const db = path.join(dir, 'oplens.db');
  if (config) fs.writeFileSync(path.join(dir, 'oplens.config.json'), JSON.stringify(config));
  fs.writeFileSync(log, lines.join('\n') + '\n');
  const r = runCli(['--db', db, 'ingest', log], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return { dir, db, log };
}

describe('tower-http: a request logged as its response event, its failure event and its span close counts once', () => {
  it('the sample logs every request at least twice, 5xx three times, and two alike requests at once', () => {
    expect(responses.length).toBe(14);
    expect(records.filter((r) => r.fields.message === 'close')).toHaveLength(14);
    expect(records.filter((r) => r.fields.message === 'response failed')).toHaveLength(3);
  });

  it('counts once across batch commits and runs: a close after a commit or in the next run is not counted again', () => {
    // Cut right after a response event whose close comes later: the second run reads the close.
    const cut = LINES.findIndex((l) => l.includes('finished processing request') && l.includes('/reports/')) + 1;
    const { dir, db, log } = ingestLines(LINES.slice(0, cut), { ingest: { batchLines: 2 } });
    fs.appendFileSync(log, LINES.slice(cut).join('\n') + '\n');
    expect(runCli(['--db', db, 'ingest', log], { cwd: dir }).code).toBe(0);
    const errors = responses.filter((r) => r.fields.status >= 400).length;
    expect(analyze(dir, db)).toEqual({ count: 14, errors, durations: 14 });
  });

  it('without span closes, each response event counts', () => {
    const { dir, db } = ingestLines(LINES.filter((l) => !l.includes('"message":"close"')));
    expect(analyze(dir, db)).toEqual({ count: 14, errors: responses.filter((r) => r.fields.status >= 400).length, durations: 14 });
  });

  it('without response events (DefaultOnResponse off), the failure event counts with its status and the close of its request does not', () => {
    const { dir, db } = ingestLines(LINES.filter((l) => !l.includes('finished processing request')));
    // The closes carry no status: only the classified 5xx responses are failures.
    expect(analyze(dir, db)).toEqual({ count: 14, errors: 3, durations: 14 });
  });
});
