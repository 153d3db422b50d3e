import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetJsonLine, fleetLines, type Line } from '../changes/fleet.js';
import { runCli, tmpDir } from '../helpers/cli.js';
import { serverPerSuite } from '../helpers/clickhouse.js';
import { localTotals, WEEK_MS, WEEK_START } from './fleet-fixture.js';
import { analyzeJson, expectSameDocument, type Doc } from './same-document.js';

/**
 * Stores that are not simply "everything raw": one whose raw events were pruned before it first shipped, and one
 * that folded operation names and dimension values past its caps. Each is shipped alone, and the fleet must answer
 * as the store itself does.
 */
const NOW = new Date(WEEK_START + WEEK_MS).toISOString();
const CUT = Date.UTC(2026, 10, 11); // prune --older-than 5d at NOW: raw events before Wednesday 00:00Z go

function write(dir: string, name: string, lines: Line[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.map(fleetJsonLine).join('\n') + '\n');
  return file;
}

function ok(args: string[]): string {
  const r = runCli(args);
  expect(r.code, r.stderr).toBe(0);
  return r.stderr;
}

describe('ship: stores pruned or folded before they ship', () => {
  const ch = serverPerSuite();
  const url = ch.url;
  let dir: string;
  beforeAll(() => {
    dir = tmpDir();
  });
  const host = (seed: number, fromMs: number, toMs: number) =>
    [...fleetLines({ seed, fromMs, toMs, gapMs: 60_000 })].filter((l) => l.host === 'api-1' || l.host === 'api-2').map((l) => ({ ...l, host: 'api-1' }));

  it('ships what a pruned store still holds: the pruned hours as rollups, said once with how many events', () => {
    const db = path.join(dir, 'pruned.db');
    const week = host(5, WEEK_START - WEEK_MS, WEEK_START + WEEK_MS);
    ok(['--db', db, 'ingest', write(dir, 'week.jsonl', week)]);
    ok(['--db', db, 'prune', '--older-than', '5d', '--now', NOW]);
    // Lines of the pruned hours that arrive after the prune: they are in the rollups and raw.
    const late = host(6, CUT - 6 * 3_600_000, CUT - 3_600_000);
    ok(['--db', db, 'ingest', write(dir, 'late.jsonl', late)]);

    const shipped = ok(['--db', db, 'ship', '--to', url('pruned'), '--source', 'api-1', '--batch-events', '2000']);
    const pruned = week.filter((l) => l.ts < CUT).length;
    expect(shipped).toContain(`raw events before 2026-11-11T00:00Z had been pruned before this store first shipped: ${pruned.toLocaleString('en-US')} events`);
    // More late lines after the first shipment: they ship with their rollups, once.
    const later = host(7, CUT - 12 * 3_600_000, CUT - 7 * 3_600_000);
    ok(['--db', db, 'ingest', write(dir, 'later.jsonl', later)]);
    const again = ok(['--db', db, 'ship', '--to', url('pruned'), '--source', 'api-1']);
    expect(again).not.toContain('had been pruned');

    const all = week.length + late.length + later.length;
    expect(localTotals(db).events).toBe(all);
    for (const args of [['--days', '14'], ['--days', '14', '--group-by', 'source'], ['--since', '2026-11-10T05:30:00Z', '--until', '2026-11-12T07:45:00Z']]) {
      const local = analyzeJson(db, args, NOW);
      const fleet = analyzeJson(url('pruned'), args, NOW);
      expect(fleet.coverage.rawRetainedFrom).toBe(CUT);
      expectSameDocument(fleet, local, args.join(' '));
    }
    expect(analyzeJson(url('pruned'), ['--days', '14', '--no-compare'], NOW).overall.count).toBe(all);
    // Raw-only reads refuse the pruned hours on the fleet as on the store.
    const where = ['analyze', '--days', '14', '--now', NOW, '--where', 'version=2.4.0'];
    const localWhere = runCli(['--db', db, ...where]);
    const fleetWhere = runCli(['--db', url('pruned'), ...where]);
    expect(localWhere.code).toBe(2);
    expect([fleetWhere.code, fleetWhere.stderr]).toEqual([localWhere.code, localWhere.stderr]);
  }, 180_000);

  it('ships the counts of names a store folded past its caps', () => {
    const config = path.join(dir, 'caps.json');
    fs.writeFileSync(config, JSON.stringify({ ingest: { maxOperations: 2 }, dimensions: { maxValues: 4 } }));
    const db = path.join(dir, 'folded.db');
    ok(['--db', db, '--config', config, 'ingest', write(dir, 'folded.jsonl', host(8, WEEK_START - WEEK_MS, WEEK_START + WEEK_MS))]);
    ok(['--db', db, 'ship', '--to', url('folded'), '--source', 'api-1']);
    for (const args of [['--days', '7'], ['--days', '7', '--group-by', 'customer']]) {
      const local: Doc = analyzeJson(db, args, NOW);
      expect(local.dataQuality.foldedOperations).toBeGreaterThan(0);
      expect(local.dataQuality.foldedValues?.customer).toBeGreaterThan(0);
      expectSameDocument(analyzeJson(url('folded'), args, NOW), local, args.join(' '));
    }
    const byCustomer = analyzeJson(url('folded'), ['--days', '7', '--group-by', 'customer'], NOW);
    expect(byCustomer.operations.map((g: Doc) => g.op)).toContain('(other values)');
  }, 180_000);
});
