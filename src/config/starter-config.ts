import type { FormatAdapter, JsonRecord } from '../ingest/formats/format-adapter.js';
import { isBad } from '../ingest/formats/format-adapter.js';
import type { DetectResult } from '../ingest/formats/registry.js';
import { parseTimestamp } from '../ingest/normalize/parse-timestamp.js';
import { DEFAULT_THRESHOLDS, SEED_LATENCY_THRESHOLDS, type ThresholdConfig } from '../analysis/threshold-config.js';

export const SCHEMA_URL = 'https://unpkg.com/oplens/oplens.schema.json';

export interface SampledFile {
  file: string;
  records: JsonRecord[];
  detection: DetectResult;
}

export interface Starter {
  config: Record<string, unknown>;
  /** What was found, for the person running `oplens init`. */
  notes: string[];
}

/** Below this detection score a file is taken as unknown and a `fields` mapping is guessed for it. */
const KNOWN_SCORE = 0.3;

/** Settings a known system reads, so that its advice names them (the GansAuditor seed's own variables). */
const SYSTEM_SETTINGS: Record<string, { timeoutSetting: string; concurrencySetting: string }> = {
  codex: { timeoutSetting: 'AUDIT_TIMEOUT_SECONDS', concurrencySetting: 'MAX_CONCURRENT_AUDITS' },
};
/** Operations whose sampled p95 is over the default target get their own p95 threshold. */
const MIN_SAMPLES_FOR_OP = 20;

/**
 * A starter config for the logs found: the seeds' default thresholds and latency table, p95/p99 thresholds for
 * each sampled operation already slower than the table (so a first report is not all warnings), and a guessed
 * `fields` mapping when no built-in format reads the logs.
 */
export function starterConfig(files: SampledFile[]): Starter {
  const notes: string[] = [];
  const durations = new Map<string, number[]>();
  let fields: Record<string, string> | undefined;
  let rules: (typeof SYSTEM_SETTINGS)[string] | undefined;
  for (const f of files) {
    const det = f.detection;
    const known = det.detection.score >= KNOWN_SCORE;
    notes.push(`${f.file}: ${known ? det.adapter.name : 'no known format'} (${det.detection.reason})`);
    if (!known && !fields) {
      fields = guessFields(f.records);
      notes.push(fields ? `  guessed a "fields" mapping from ${f.file}: check it with oplens detect` : `  could not guess a "fields" mapping: write one (README, "Config")`);
    }
    if (known) collectDurations(det.adapter, f.records, durations);
    if (known && SYSTEM_SETTINGS[det.adapter.name] && !rules) {
      rules = SYSTEM_SETTINGS[det.adapter.name];
      notes.push(`  advice will name ${rules.timeoutSetting} and ${rules.concurrencySetting} (rules in the config)`);
    }
  }
  // Later entries win for the operations they match, so the per-operation limits below override the `*` ones.
  const thresholds: ThresholdConfig[] = [...DEFAULT_THRESHOLDS, ...SEED_LATENCY_THRESHOLDS].map((t) => ({ ...t }));
  const defaultP95 = SEED_LATENCY_THRESHOLDS.find((t) => t.metric === 'p95')?.target ?? 200;
  for (const [op, ds] of [...durations].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (ds.length < MIN_SAMPLES_FOR_OP) continue;
    const p95 = ds.sort((a, b) => a - b)[Math.floor(0.95 * (ds.length - 1))];
    if (p95 <= defaultP95) continue;
    const target = roundNice(p95 * 1.2);
    thresholds.push({ metric: 'p95', op, target, warning: target, critical: roundNice(target * 2.5) });
    thresholds.push({ metric: 'p99', op, target: roundNice(target * 2.5) });
    notes.push(`  ${op}: sampled p95 ${Math.round(p95)} ms, so its p95 target is ${target} ms`);
  }
  const ops = [...durations.keys()];
  if (ops.length) notes.push(`operations seen in the samples: ${ops.slice(0, 20).join(', ')}${ops.length > 20 ? `, … (${ops.length})` : ''}`);
  const config: Record<string, unknown> = { $schema: SCHEMA_URL };
  if (fields) config.fields = fields;
  config.thresholds = thresholds;
  if (rules) config.rules = { ...rules };
  return { config, notes };
}

function collectDurations(adapter: FormatAdapter, records: JsonRecord[], into: Map<string, number[]>): void {
  for (const r of records) {
    const out = adapter.toEvents(r);
    if (isBad(out)) continue;
    for (const e of out) {
      const list = into.get(e.op) ?? into.set(e.op, []).get(e.op)!;
      if (e.durationMs !== null) list.push(e.durationMs);
    }
  }
}

const TS_NAME = /(^|[._-])(ts|time|timestamp|date|datetime|at)$/i;
const OP_NAME = /(^|[._-])(op|operation|name|route|endpoint|path|url|uri|event|action|span|task|job)$/i;
const DUR_NAME = /(dur|duration|elapsed|latency|took|time_?ms|response_?time|ms$)/i;

/** Picks the first leaf paths whose names and values look like a timestamp, an operation and a duration. */
function guessFields(records: JsonRecord[]): Record<string, string> | undefined {
  const leaves = new Map<string, unknown[]>();
  for (const r of records.slice(0, 20)) walk(r, '', leaves, 0);
  const find = (test: (name: string, values: unknown[]) => boolean) => [...leaves].find(([p, v]) => test(p, v))?.[0];
  const ts = find((p, v) => TS_NAME.test(p) && v.every((x) => parseTimestamp(x) !== null));
  const op = find((p, v) => OP_NAME.test(p) && v.every((x) => typeof x === 'string'));
  const duration = find((p, v) => p !== ts && DUR_NAME.test(p) && v.every((x) => typeof x === 'number' && x >= 0));
  if (!ts || (!op && !duration)) return undefined;
  return { ts, ...(op ? { op } : {}), ...(duration ? { duration } : {}) };
}

function walk(v: unknown, prefix: string, leaves: Map<string, unknown[]>, depth: number): void {
  if (depth > 4 || v === null || typeof v !== 'object' || Array.isArray(v)) {
    if (prefix && v !== null && v !== undefined) (leaves.get(prefix) ?? leaves.set(prefix, []).get(prefix)!).push(v);
    return;
  }
  for (const [k, x] of Object.entries(v)) if (/^[\w@$-]+$/.test(k)) walk(x, prefix ? `${prefix}.${k}` : k, leaves, depth + 1);
}

/** 1, 2 or 5 times a power of ten, at or above x: thresholds people can read at a glance. */
function roundNice(x: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}
