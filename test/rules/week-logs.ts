import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error: the generator is plain JavaScript (fixtures/ is shared with the benchmark and the demo).
import { generateLines } from '../../fixtures/generate-log.mjs';
import { analyze } from '../../src/analysis/analyze.js';
import type { AnalysisDocument } from '../../src/analysis/analysis-document.js';
import { defaultConfig, type OplensConfig } from '../../src/config/load-config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export const WEEK_FROM = Date.UTC(2026, 10, 9);
export const DAY = 86_400_000;
export const WEEK_TO = WEEK_FROM + 7 * DAY;

export interface GenOptions {
  seed: number;
  startMs: number;
  /** Lines at or after this are dropped, so a chunk never spills into the next one. */
  endMs: number;
  count: number;
  ops?: unknown[];
  slowdowns?: Array<{ op: string; fromMs: number; toMs: number; factor: number }>;
  memoryBaseMb?: number;
}

/** Generated lines spread evenly over [startMs, endMs) (the mean gap ends them just short of endMs). */
export function lines(o: GenOptions): string[] {
  const gapMs = ((o.endMs - o.startMs) / o.count) * 0.995;
  const out: string[] = [];
  for (const line of generateLines({ ...o, gapMs }) as Iterable<string>) {
    if (Date.parse(JSON.parse(line).timestamp) < o.endMs) out.push(line);
  }
  return out;
}

/** Ingests files of lines into a fresh store and analyses [fromMs, toMs) with now = toMs. */
export async function analyzeLines(
  files: Record<string, string[]>,
  window: { fromMs: number; toMs: number },
  config: OplensConfig = defaultConfig(),
): Promise<AnalysisDocument> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oplens-rules-'));
  try {
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    for (const [name, ls] of Object.entries(files)) fs.writeFileSync(path.join(logs, name), ls.join(''));
    const store = openSqliteStore(path.join(dir, 'oplens.db'));
    try {
      await ingest({ store, paths: [logs] });
      return analyze(store, { ...window, nowMs: window.toMs }, config);
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Parsed lines, for the independent computations the tests check the document against. */
export function parsed(ls: string[]): Array<{ operation: string; duration: number; success: boolean; memoryMb: number; error?: { category: string; message: string } }> {
  return ls.map((l) => JSON.parse(l));
}
