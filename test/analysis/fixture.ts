import fs from 'node:fs';
import path from 'node:path';
import { analyze, type AnalyzeOptions } from '../../src/analysis/analyze.js';
import type { AnalysisDocument } from '../../src/analysis/analysis-document.js';
import { defaultConfig, parseConfig, type OplensConfig } from '../../src/config/load-config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tmpDir } from '../helpers/cli.js';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const DAY = 24 * HOUR;
/** Monday 2026-11-09 00:00 UTC. */
export const T0 = Date.UTC(2026, 10, 9);

/** One operation as the test knows it: every field that reaches the store. */
export interface Ev {
  ts: number;
  op: string;
  duration: number;
  ok?: boolean;
  category?: string;
  message?: string;
  source?: string;
  memoryMb?: number;
  concurrency?: number;
  retries?: number;
}

/** Seeded PRNG (mulberry32), so every test sees the same data on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());
}

export function lognormal(r: () => number, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(r));
}

/** Native-format JSONL line; the timestamp is epoch ms so the store sees exactly `ts`. */
export function line(e: Ev): string {
  const o: Record<string, unknown> = { timestamp: e.ts, operation: e.op, duration: e.duration, success: e.ok ?? true };
  if (e.ok === false) o.error = { category: e.category ?? 'server_error', message: e.message ?? 'internal error', code: 'E1' };
  if (e.source) o.source = e.source;
  if (e.memoryMb !== undefined) o.memoryMb = e.memoryMb;
  if (e.concurrency !== undefined) o.concurrency = e.concurrency;
  if (e.retries !== undefined) o.retries = e.retries;
  return JSON.stringify(o) + '\n';
}

export interface Store {
  dir: string;
  dbPath: string;
  store: SqliteStore;
  close(): void;
}

/** A fresh store holding `events` (ingested through the library, as `oplens ingest` does). */
export async function storeWith(events: Ev[], extraLines = ''): Promise<Store> {
  const dir = tmpDir('oplens-analysis-');
  const file = path.join(dir, 'events.jsonl');
  fs.writeFileSync(file, events.map(line).join('') + extraLines);
  const dbPath = path.join(dir, 'store.db');
  const store = openSqliteStore(dbPath);
  const summary = await ingest({ store, paths: [file] });
  if (summary.events !== events.length) throw new Error(`fixture: ingested ${summary.events} of ${events.length} events`);
  return { dir, dbPath, store, close: () => void store.close() };
}

export function run(s: Store, opts: Partial<AnalyzeOptions> & { fromMs: number; toMs: number }, config: OplensConfig = defaultConfig()): AnalysisDocument {
  return analyze(s.store, { nowMs: opts.toMs, previous: null, ...opts }, config);
}

export function config(raw: unknown): OplensConfig {
  return parseConfig(raw);
}

/** The reference definition, written independently: linear interpolation between the closest ranks. */
export function refQuantile(sorted: readonly number[], q: number): number {
  const h = q * (sorted.length - 1);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function sortedDurations(events: readonly Ev[]): number[] {
  return events.map((e) => e.duration).sort((a, b) => a - b);
}

export function inWindow(events: readonly Ev[], from: number, to: number): Ev[] {
  return events.filter((e) => e.ts >= from && e.ts < to);
}

export const QS: Array<[keyof Pick<AnalysisDocument['overall'], 'p50' | 'p90' | 'p95' | 'p99' | 'p999'>, number]> = [
  ['p50', 0.5], ['p90', 0.9], ['p95', 0.95], ['p99', 0.99], ['p999', 0.999],
];

export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}
