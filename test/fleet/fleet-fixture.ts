import fs from 'node:fs';
import path from 'node:path';
// @ts-expect-error plain ESM generator shared with the benchmark (no types)
import { generateLines } from '../../fixtures/generate-log.mjs';
import { fleetJsonLine, fleetLines } from '../changes/fleet.js';
import { query, runCli } from '../helpers/cli.js';

export const WEEK_START = Date.UTC(2026, 10, 9);
export const WEEK_MS = 7 * 24 * 3_600_000;

/** A week of one host's log (at most `count` lines, none after the week), generated from its own seed, ingested into its own store under its host name. */
export function hostStore(dir: string, host: string, seed: number, count: number): { db: string; log: string } {
  const log = path.join(dir, `${host}.jsonl`);
  fs.writeFileSync(log, [...generateLines({ seed, count, startMs: WEEK_START, endMs: WEEK_START + WEEK_MS, gapMs: WEEK_MS / count, memoryBaseMb: 300 })].join(''));
  const db = path.join(dir, `${host}.db`);
  const r = runCli(['--db', db, 'ingest', log, '--source', host]);
  if (r.code !== 0) throw new Error(r.stderr);
  return { db, log };
}

/** What a local store holds, read with SQL of its own: the figures a fleet copy must match exactly. */
export function localTotals(db: string): { events: number; durations: number; errors: number; quarantined: number } {
  const [m] = query<{ n: number; d: number; e: number }>(db, 'SELECT sum(count) AS n, sum(dur_count) AS d, sum(error_count) AS e FROM minute_stats');
  const [q] = query<{ n: number }>(db, 'SELECT count(*) AS n FROM quarantine');
  return { events: m.n, durations: m.d, errors: m.e, quarantined: q.n };
}

/**
 * Three hosts of the generated fleet of test/changes/fleet.ts (api-1, api-3, api-5: host, region, version, customer
 * and status on every line) over two weeks, the second being WEEK_START's; a release 2.4.1 on api-3 and api-5 makes
 * db.query three times slower from Thursday 09:00. Each host's log is ingested into its own store, whose source is
 * the host (the lines' own `host` field), as a fleet's hosts ship under their host names.
 */
export const DIM_HOSTS = ['api-1', 'api-3', 'api-5'];
export const RELEASE_ONSET = Date.UTC(2026, 10, 12, 9);

export function dimensionHostStores(dir: string, gapMs: number): Array<{ name: string; db: string; log: string }> {
  const lines = [...fleetLines({
    seed: 19, fromMs: WEEK_START - WEEK_MS, toMs: WEEK_START + WEEK_MS, gapMs,
    plants: [{ fromMs: RELEASE_ONSET, hosts: ['api-3', 'api-5'], version: '2.4.1', op: 'db.query', factor: 3 }],
  })];
  return DIM_HOSTS.map((name) => {
    const log = path.join(dir, `${name}.jsonl`);
    fs.writeFileSync(log, lines.filter((l) => l.host === name).map(fleetJsonLine).join('\n') + '\n');
    const db = path.join(dir, `${name}.db`);
    const r = runCli(['--db', db, 'ingest', log]);
    if (r.code !== 0) throw new Error(r.stderr);
    return { name, db, log };
  });
}
