import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { AnalysisDocument } from '../../src/analysis/analysis-document.js';
import { ROOT, runCli, tmpDir } from '../helpers/cli.js';

// fixtures/make-demo.mjs plants these: `search` 2.5× slower from Thursday 2026-11-12 00:00Z, and a timeout storm of
// GET /api/orders on Friday 2026-11-13 14:00–15:00Z.
const SLOWDOWN = Date.UTC(2026, 10, 12);
const STORM = Date.UTC(2026, 10, 13, 14);
const HOUR = 3_600_000;

describe('the demo week: onsets of the planted changes', () => {
  let doc: AnalysisDocument;
  beforeAll(() => {
    const db = path.join(tmpDir(), 'demo.db');
    expect(runCli(['--db', db, 'ingest', path.join(ROOT, 'fixtures/demo')]).code).toBe(0);
    const r = runCli(['--db', db, 'analyze', '--days', '7', '--now', '2026-11-16T00:00:00Z', '--format', 'json']);
    expect(r.code).toBe(0);
    doc = JSON.parse(r.stdout);
  });

  test('the search slowdown starts within the hour of Thursday midnight, found to the minute', () => {
    const c = doc.changes.find((x) => x.kind === 'latency' && x.op === 'search')!;
    expect(c.foundBy).toBe('regression');
    expect(Math.abs(c.onsetMs! - SLOWDOWN)).toBeLessThan(HOUR);
    expect(c.onset).toBe(new Date(c.onsetMs!).toISOString());
    expect(c.onsetMs! % 60_000).toBe(0);
    // The demo's lines carry no host or version: nothing to pin the slowdown on, and the document says so.
    expect(c.attribution).toEqual([]);
    expect(c.note).toBe('nothing stands out: the change is spread over all events alike (the lines carry no host, version, region or other field that varies)');
  });

  test("the timeout storm's spike starts inside its hour and is pinned on GET /api/orders", () => {
    const c = doc.changes.find((x) => x.foundBy === 'spike')!;
    expect(c.onsetMs!).toBeGreaterThanOrEqual(STORM);
    expect(c.onsetMs!).toBeLessThan(STORM + HOUR);
    expect(c.attribution[0]).toMatchObject({ dimension: 'op', value: 'GET /api/orders' });
    expect(c.summary).toContain('of the extra failures on op GET /api/orders');
  });
});
