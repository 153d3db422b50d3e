import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, tmpDir } from '../helpers/cli.js';
import { chQuery, counted, startCluster, startServer, type TestServer } from '../helpers/clickhouse.js';
import { DIM_HOSTS, dimensionHostStores, WEEK_MS, WEEK_START } from './fleet-fixture.js';
import { analyzeJson as analyzeAt, expectSameDocument, quantile, type Doc } from './same-document.js';

/**
 * The fleet answers as one local store holding the same events: three hosts (their lines carrying host, region,
 * version, customer and status) ship two weeks each (one of them killed mid-way and run
 * again) into one server and into a two-shard cluster, and every analysis document equals the one from a local
 * store that ingested all three logs, to the last digit of every count and percentile: slices by the lines' own
 * fields and the attribution of a change to them included.
 */
const NOW = new Date(WEEK_START + WEEK_MS).toISOString();
const analyzeJson = (db: string, args: string[]): Doc => analyzeAt(db, args, NOW);
const ANALYSES: string[][] = [
  // The release's slowdown, its onset and its attribution to version and hosts.
  ['--days', '7'],
  ['--days', '7', '--exact', '--group-by', 'source'],
  // Edges inside hours and minutes (read raw), one store, an operation glob.
  ['--since', '2026-11-10T05:37:30Z', '--until', '2026-11-13T17:45:10Z', '--source', 'api-3', '--op', 'GET *'],
  // Slices by the lines' own fields.
  ['--days', '7', '--where', 'version=2.4.1', '--group-by', 'host'],
  ['--days', '7', '--where', 'region=eu-west', '--group-by', 'customer', '--op', 'db.query'],
  ['--days', '7', '--group-by', 'version', '--op', 'db.query'],
];

describe('the fleet store answers like one local store of all hosts', () => {
  let dir: string;
  let single: TestServer & { cleanup(): Promise<void> };
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  let combined: string;
  let stores: ReturnType<typeof dimensionHostStores> = [];
  const singleUrl = () => `clickhouse://127.0.0.1:${single.http}/fleet`;
  const clusterUrl = () =>
    `clickhouse://127.0.0.1:${cluster.shards[0].http}/fleet?cluster=${cluster.cluster}&shards=${cluster.shards.map((s) => `127.0.0.1:${s.http}`).join(',')}`;

  beforeAll(async () => {
    dir = tmpDir();
    [single, cluster] = await Promise.all([startServer(), startCluster()]);
    combined = path.join(dir, 'combined.db');
    stores = dimensionHostStores(dir, 40_000);
    for (const s of stores) expect(runCli(['--db', combined, 'ingest', s.log]).code).toBe(0);
    for (const url of [singleUrl(), clusterUrl()]) {
      const [first, second, third] = stores;
      for (const s of [first, second]) expect(runCli(['--db', s.db, 'ship', '--to', url, '--source', s.name]).code).toBe(0);
      await shipKilledThenRerun(third, url);
    }
  }, 300_000);

  afterAll(async () => {
    await Promise.all([single?.cleanup(), cluster?.cleanup()]);
  });

  /** SIGKILL after the first confirmed batch, then run again to the end. */
  async function shipKilledThenRerun(s: { name: string; db: string }, url: string): Promise<void> {
    const args = ['--db', s.db, 'ship', '--to', url, '--source', s.name, '--batch-events', '400'];
    const child = spawnCli(args);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const entry = url.includes('cluster=') ? cluster.shards[0].url : single.url;
    const deadline = Date.now() + 120_000;
    while (child.exitCode === null && Date.now() < deadline) {
      const [t] = await chQuery(entry, `SELECT count() AS n FROM system.tables WHERE database = 'fleet' AND name = 'shipments'`);
      if (t.n) {
        const [d] = await chQuery(entry, `SELECT countIf(state = 'done' AND source = '${s.name}') AS n FROM fleet.shipments`);
        if (d.n >= 1) break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    expect(runCli(args).code).toBe(0);
  }

  it('counts every event of the three logs exactly, with percentiles within 1 % of exact', () => {
    const durations: number[] = [];
    let lines = 0;
    const perStore: Record<string, number> = {};
    for (const s of stores) {
      for (const line of fs.readFileSync(s.log, 'utf8').split('\n').filter(Boolean)) {
        const l = JSON.parse(line);
        const ts = Date.parse(l.timestamp);
        if (ts < WEEK_START || ts >= WEEK_START + WEEK_MS) continue;
        lines++;
        perStore[s.name] = (perStore[s.name] ?? 0) + 1;
        if (typeof l.duration === 'number') durations.push(l.duration);
      }
    }
    durations.sort((a, b) => a - b);
    for (const url of [singleUrl(), clusterUrl()]) {
      const doc = analyzeJson(url, ['--days', '7']);
      expect(doc.overall.count).toBe(lines);
      expect(doc.coverage.sources).toEqual(DIM_HOSTS);
      const bySource = analyzeJson(url, ['--days', '7', '--group-by', 'source']);
      expect(Object.fromEntries(bySource.operations.map((g: Doc) => [g.op, g.count]))).toEqual(perStore);
      for (const [key, q] of [['p50', 0.5], ['p95', 0.95], ['p99', 0.99]] as const) {
        const exact = quantile(durations, q);
        expect(Math.abs(doc.overall[key] - exact) / exact).toBeLessThanOrEqual(0.01);
      }
    }
  }, 120_000);

  it('gives the same analysis documents as the combined local store, on one server and on two shards', () => {
    for (const args of ANALYSES) {
      const local = analyzeJson(combined, args);
      expect(local.overall.count).toBeGreaterThan(0);
      // The slices and the attribution must have something to compare: the release is found and pinned on its version.
      if (args.length === 2) expect(local.changes.some((c: Doc) => c.attribution.some((a: Doc) => a.dimension === 'version' && a.value === '2.4.1'))).toBe(true);
      if (args.includes('--where')) expect(Object.keys(local.filters.where)).toHaveLength(1);
      for (const url of [singleUrl(), clusterUrl()]) expectSameDocument(analyzeJson(url, args), local, args.join(' '));
    }
   }, 300_000);

  it('spreads the cluster’s rows over both shards and merges them in every answer', async () => {
    for (const s of cluster.shards) {
      const [r] = await chQuery(s.url, `SELECT count() AS n FROM ${counted('fleet', 'events_local')}`);
      expect(r.n).toBeGreaterThan(0);
    }
  });

  it('writes the same weekly report from the fleet as from the combined store', () => {
    const out = (name: string) => path.join(dir, name);
    const week = ['report', 'weekly', '--week', '2026-W46', '--now', NOW];
    expect(runCli(['--db', combined, ...week, '--out', out('local')]).code).toBe(0);
    const fleet = runCli(['--db', clusterUrl(), ...week, '--out', out('fleet')]);
    expect(fleet.stderr).toBe('');
    // The wall-clock time a report was generated at is the one line that differs between two runs.
    const md = (d: string) => fs.readFileSync(path.join(out(d), 'oplens-2026-W46.md'), 'utf8').replace(/generated [^\n·]*/g, 'generated (time)');
    expect(md('fleet')).toBe(md('local'));
  }, 120_000);
});
