import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AnalysisDocument } from '../../src/analysis/analysis-document.js';
import { analyze } from '../../src/analysis/analyze.js';
import { recommend } from '../../src/analysis/rules/recommend.js';
import { defaultConfig } from '../../src/config/load-config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/** The demo fixture week (ISO 2026-W46) analysed against the week before, as `oplens report weekly` does it. */

export const DEMO_DIR = path.join(import.meta.dirname, '../../fixtures/demo');
export const W46 = { fromMs: Date.UTC(2026, 10, 9), toMs: Date.UTC(2026, 10, 16) };
const WEEK = 7 * 86_400_000;

export async function analyzeDemoWeek(): Promise<{ doc: AnalysisDocument; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oplens-demo-'));
  const store = openSqliteStore(path.join(dir, 'demo.db'));
  try {
    await ingest({ store, paths: [DEMO_DIR] });
    const config = defaultConfig();
    const doc = analyze(store, {
      ...W46, nowMs: W46.toMs + 86_400_000,
      previous: { fromMs: W46.fromMs - WEEK, toMs: W46.fromMs, label: 'previous week (2026-W45)' },
    }, config);
    Object.assign(doc, recommend(doc, config));
    return { doc, dir };
  } finally {
    await store.close();
  }
}

export interface RawEvent {
  ts: number;
  op: string;
  durationMs: number;
  ok: boolean;
}

/** The fixture's events read straight from the files, without oplens: the independent side of the checks. */
export function rawDemoEvents(fromMs: number, toMs: number): RawEvent[] {
  const out: RawEvent[] = [];
  for (const f of fs.readdirSync(DEMO_DIR)) {
    const buf = fs.readFileSync(path.join(DEMO_DIR, f));
    const text = f.endsWith('.gz') ? zlib.gunzipSync(buf).toString('utf8') : buf.toString('utf8');
    for (const line of text.split('\n')) {
      let o: { timestamp?: string; operation: string; duration: number; success: boolean };
      try {
        o = JSON.parse(line);
      } catch {
        continue;
      }
      const ts = o.timestamp === undefined ? NaN : Date.parse(o.timestamp);
      if (ts >= fromMs && ts < toMs) out.push({ ts, op: o.operation, durationMs: o.duration, ok: o.success });
    }
  }
  return out;
}

/** Linear interpolation between closest ranks (numpy's default). */
export function percentile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)]) - s[lo]);
}

/** Reads a displayed duration ("1.72 s", "48.9 ms", "2.5 min") back into ms. */
export function parseShownDuration(text: string): number {
  const m = /^([\d.]+) (ms|s|min|h)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * { ms: 1, s: 1000, min: 60_000, h: 3_600_000 }[m[2] as 'ms'];
}
