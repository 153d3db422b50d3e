import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { ROOT, runCli, tmpDir } from '../helpers/cli.js';

export const REAL = path.join(ROOT, 'fixtures/real');

/** What an independent reader of a sample counts: requests, failed ones, their durations (ms) and times (epoch ms). */
export interface Figures {
  count: number;
  errors: number;
  durations: number[];
  times: number[];
}

/** The JSON objects of a file's lines, parsed here without any of oplens's code. */
export function jsonLines(file: string): Array<Record<string, any>> {
  return fs
    .readFileSync(path.join(REAL, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

/** Exact percentile by linear interpolation between closest ranks (numpy's default). */
export function percentile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export interface Run {
  ingest: { code: number; stdout: string; stderr: string };
  doc: any;
}

/** `oplens ingest FILE` with no config, then `analyze --exact --format json` over a window holding every line. */
export function ingestAndAnalyze(file: string, times: number[]): Run {
  const dir = tmpDir('oplens-real-');
  const db = path.join(dir, 'oplens.db');
  const ingest = runCli(['--db', db, 'ingest', path.join(REAL, file)], { cwd: dir });
  const day = 86_400_000;
  const since = new Date(Math.floor(Math.min(...times) / day) * day).toISOString();
  const until = new Date(Math.floor(Math.max(...times) / day) * day + day).toISOString();
  const a = runCli(['--db', db, 'analyze', '--since', since, '--until', until, '--exact', '--format', 'json', '--no-compare'], { cwd: dir });
  return { ingest, doc: a.code === 0 ? JSON.parse(a.stdout) : { error: a.stderr } };
}

/** Count and errors exactly, p50 and p95 within 1 % of the independent figures. */
export function expectSameFigures(run: Run, want: Figures): void {
  expect(run.ingest.code, run.ingest.stderr).toBe(0);
  const o = run.doc.overall;
  expect(o, JSON.stringify(run.doc.error)).toBeDefined();
  expect({ count: o.count, errors: o.errorCount }).toEqual({ count: want.count, errors: want.errors });
  if (want.durations.length === 0) return;
  expect(o.durationCount).toBe(want.durations.length);
  for (const [q, got] of [[0.5, o.p50], [0.95, o.p95]] as const) {
    const exact = percentile(want.durations, q);
    expect(Math.abs(got - exact), `p${q * 100}: oplens ${got}, independent ${exact}`).toBeLessThanOrEqual(Math.max(exact * 0.01, 1e-9));
  }
}

/** Fastify's request log read independently: one request per `request completed` line, its start by reqId. */
export function fastifyFigures(file: string): Figures {
  const started = new Map<string, number>();
  const f: Figures = { count: 0, errors: 0, durations: [], times: [] };
  for (const r of jsonLines(file)) {
    if (r.reqId === undefined) continue;
    if (r.msg === 'incoming request') started.set(r.reqId, r.time);
    if (r.msg === 'request completed') {
      f.count++;
      if (r.res.statusCode >= 400) f.errors++;
      f.durations.push(r.responseTime);
      f.times.push(started.get(r.reqId)!);
    }
  }
  return f;
}
