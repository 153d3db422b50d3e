import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { AnalysisDocument, Change } from '../../src/analysis/analysis-document.js';
import { runCli, tmpDir } from '../helpers/cli.js';
import { writeFleet, type Plant } from './fleet.js';

// Two weeks of a six-host fleet (Mon 2026-11-02 … Sun 2026-11-15); the analysed week is the second one.
const FROM = Date.UTC(2026, 10, 2);
const TO = Date.UTC(2026, 10, 16);
const HOUR = 3_600_000;
/** Thursday 2026-11-12 09:00Z, the planted changes' onset; 09:37 for the one that is not on the hour. */
const ONSET = Date.UTC(2026, 10, 12, 9);

function fleetStore(seed: number, plants: Plant[]) {
  const dir = tmpDir();
  const lines = writeFleet(dir, { seed, fromMs: FROM, toMs: TO, gapMs: 12_000, plants });
  const db = path.join(dir, 'fleet.db');
  const ingest = runCli(['--db', db, 'ingest', path.join(dir, 'fleet.jsonl')]);
  expect(ingest.code, ingest.stderr).toBe(0);
  const analyze = (...extra: string[]): AnalysisDocument => {
    const r = runCli(['--db', db, 'analyze', '--days', '7', '--now', '2026-11-16T00:00:00Z', '--format', 'json', ...extra]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  return { lines, analyze };
}

function analyse(seed: number, plants: Plant[]): AnalysisDocument {
  return fleetStore(seed, plants).analyze();
}

function changeOf(doc: AnalysisDocument, kind: Change['kind'], op: string | null): Change {
  const c = doc.changes.find((x) => x.kind === kind && x.op === op);
  expect(c, `no ${kind} change of ${op} in ${JSON.stringify(doc.changes.map((x) => x.summary))}`).toBeDefined();
  return c!;
}

describe('planted changes in a generated fleet: onset and attribution', () => {
  test('a release on two hosts makes db.query 3× slower: onset to the minute, the version named first, its hosts beside it', () => {
    const doc = analyse(11, [{ fromMs: ONSET, hosts: ['api-3', 'api-5'], version: '2.4.1', op: 'db.query', factor: 3 }]);
    const c = changeOf(doc, 'latency', 'db.query');
    expect(Math.abs(c.onsetMs! - ONSET)).toBeLessThanOrEqual(10 * 60_000);
    expect(c.attribution[0]).toMatchObject({ dimension: 'version', value: '2.4.1', confidence: 'high' });
    expect(c.attribution[0].share).toBeGreaterThan(0.8);
    expect(c.attribution.filter((a) => a.dimension === 'host').map((a) => a.value).sort()).toEqual(['api-3', 'api-5']);
    expect(c.summary).toMatch(/^db\.query p95 .* since 2026-11-12 \d\d:\d\dZ, \d+(\.\d)? % of the slowdown on version 2\.4\.1 \(host api-\d, api-\d/);
    const rec = doc.recommendations.find((r) => r.rule === 'p95-regression' && r.ops[0] === 'db.query')!;
    expect(rec.title).toContain(`since ${new Date(c.onsetMs!).toISOString().slice(0, 16).replace('T', ' ')}Z`);
    expect(rec.evidence.join('\n')).toContain('of the slowdown on version 2.4.1');
  });

  test('--where and --group-by slice by any dimension: the release by host, counted from the generated lines', () => {
    const { lines, analyze } = fleetStore(16, [{ fromMs: ONSET, hosts: ['api-3', 'api-5'], version: '2.4.1', op: 'db.query', factor: 3 }]);
    const doc = analyze('--where', 'version=2.4.1', '--group-by', 'host', '--no-compare');
    const mine = lines.filter((l) => l.ts >= Date.UTC(2026, 10, 9) && l.ts < TO && l.version === '2.4.1');
    const byHost = (ls: typeof lines) => Object.fromEntries(['api-3', 'api-5'].map((h) => [h, ls.filter((l) => l.host === h).length]));
    expect(doc.groupBy).toBe('host');
    expect(doc.filters.where).toEqual({ version: '2.4.1' });
    expect(doc.overall.count).toBe(mine.length);
    expect(doc.overall.errorCount).toBe(mine.filter((l) => l.status >= 400).length);
    expect(Object.fromEntries(doc.operations.map((g) => [g.op, g.count]))).toEqual(byHost(mine));
    const bad = runCli(['analyze', '--where', 'version']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--where: expected FIELD=VALUE such as version=2.4.1, got "version"');
  });

  test("a region's network slows GET /api/orders there: the region is named first", () => {
    const doc = analyse(12, [{ fromMs: ONSET + 37 * 60_000, region: 'ap-south', op: 'GET /api/orders', factor: 4 }]);
    const c = changeOf(doc, 'latency', 'GET /api/orders');
    expect(Math.abs(c.onsetMs! - (ONSET + 37 * 60_000))).toBeLessThanOrEqual(10 * 60_000);
    expect(c.attribution[0]).toMatchObject({ dimension: 'region', value: 'ap-south' });
  });

  test('a status code: 503s from GET /api/orders for two hours are a spike, pinned on status 503 and the operation', () => {
    const doc = analyse(13, [{ fromMs: ONSET, toMs: ONSET + 2 * HOUR, op: 'GET /api/orders', status: 503, failRate: 0.4 }]);
    const c = doc.changes.find((x) => x.kind === 'errors' && x.foundBy === 'spike' && x.onsetMs !== null)!;
    expect(c).toBeDefined();
    expect(Math.abs(c.onsetMs! - ONSET)).toBeLessThanOrEqual(10 * 60_000);
    expect(c.attribution[0]).toMatchObject({ dimension: 'status', value: '503' });
    expect(c.attribution.map((a) => `${a.dimension}=${a.value}`)).toContain('op=GET /api/orders');
  });

  test('a customer: search 5× slower for c-7 only', () => {
    const doc = analyse(14, [{ fromMs: ONSET, op: 'search', customer: 'c-7', factor: 5 }]);
    const c = changeOf(doc, 'latency', 'search');
    expect(Math.abs(c.onsetMs! - ONSET)).toBeLessThan(HOUR);
    expect(c.attribution[0]).toMatchObject({ dimension: 'customer', value: 'c-7' });
  });

  test('a week without planted changes has no attribution and no finding above low', () => {
    const doc = analyse(15, []);
    expect(doc.changes.filter((c) => c.attribution.length > 0)).toEqual([]);
    expect(doc.recommendations.filter((r) => r.severity !== 'low').map((r) => r.title)).toEqual([]);
  });
});
