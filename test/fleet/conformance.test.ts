import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, tmpDir } from '../helpers/cli.js';
import { chQuery, counted, startCluster, startServer, type TestServer } from '../helpers/clickhouse.js';
import { hostStore, WEEK_MS, WEEK_START } from './fleet-fixture.js';

/**
 * The fleet answers as one local store holding the same events: three hosts ship a week each (one of them killed
 * mid-way and run again) into one server and into a two-shard cluster, and every analysis document equals the one
 * from a local store that ingested all three logs, to the last digit of every count and percentile.
 */
const HOSTS = [
  { name: 'api-1', seed: 11, count: 5_000 },
  { name: 'api-2', seed: 22, count: 4_000 },
  { name: 'worker-3', seed: 33, count: 3_000 },
];
const NOW = new Date(WEEK_START + WEEK_MS).toISOString();
const ANALYSES: string[][] = [
  ['--days', '7'],
  ['--days', '7', '--exact', '--group-by', 'source'],
  // Edges inside hours and minutes (read raw), one host, an operation glob.
  ['--since', '2026-11-10T05:37:30Z', '--until', '2026-11-13T17:45:10Z', '--source', 'api-2', '--op', 'GET *'],
];

describe('the fleet store answers like one local store of all hosts', () => {
  let dir: string;
  let single: TestServer & { cleanup(): Promise<void> };
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  let combined: string;
  const stores: Array<{ name: string; db: string; log: string }> = [];
  const singleUrl = () => `clickhouse://127.0.0.1:${single.http}/fleet`;
  const clusterUrl = () =>
    `clickhouse://127.0.0.1:${cluster.shards[0].http}/fleet?cluster=${cluster.cluster}&shards=${cluster.shards.map((s) => `127.0.0.1:${s.http}`).join(',')}`;

  beforeAll(async () => {
    dir = tmpDir();
    [single, cluster] = await Promise.all([startServer(), startCluster()]);
    combined = path.join(dir, 'combined.db');
    for (const h of HOSTS) {
      const s = hostStore(dir, h.name, h.seed, h.count);
      stores.push({ name: h.name, ...s });
      expect(runCli(['--db', combined, 'ingest', s.log, '--source', h.name]).code).toBe(0);
    }
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
    for (const s of stores) {
      for (const line of fs.readFileSync(s.log, 'utf8').split('\n').filter(Boolean)) {
        lines++;
        const d = JSON.parse(line).duration;
        if (typeof d === 'number') durations.push(d);
      }
    }
    durations.sort((a, b) => a - b);
    for (const url of [singleUrl(), clusterUrl()]) {
      const doc = analyzeJson(url, ['--days', '7']);
      expect(doc.overall.count).toBe(lines);
      expect(doc.coverage.sources).toEqual(HOSTS.map((h) => h.name).sort());
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

function analyzeJson(db: string, args: string[]): Doc {
  const r = runCli(['--db', db, 'analyze', ...args, '--now', NOW, '--format', 'json']);
  if (r.code !== 0) throw new Error(`analyze ${args.join(' ')} on ${db}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * Equal to the last digit, except sums of floating-point durations (means, and what is derived from them), which
 * the engines add up in another order: those agree to 1e-9 relative.
 */
function expectSameDocument(actual: Doc, expected: Doc, label: string): void {
  const diffs: string[] = [];
  // The last ingest's wall-clock time: the hosts' stores and the combined one were filled seconds apart.
  const wallClock = new Set(['.dataQuality.futureAfter']);
  const walk = (a: unknown, e: unknown, at: string) => {
    if (wallClock.has(at)) {
      if (!(typeof a === 'number' && typeof e === 'number' && Math.abs(a - e) < 10 * 60_000)) diffs.push(`${at}: ${a} far from ${e}`);
      return;
    }
    if (typeof e === 'number' && typeof a === 'number') {
      const same = Number.isInteger(e) ? a === e : Math.abs(a - e) <= 1e-9 * Math.max(Math.abs(e), 1e-9);
      if (!same) diffs.push(`${at}: ${a} != ${e}`);
    } else if (e && typeof e === 'object' && a && typeof a === 'object') {
      const keys = new Set([...Object.keys(e), ...Object.keys(a)]);
      for (const k of keys) walk((a as Record<string, unknown>)[k], (e as Record<string, unknown>)[k], `${at}.${k}`);
    } else if (a !== e) {
      // Text that prints a mean may differ in its last printed digit only where the number itself does.
      if (!(typeof a === 'string' && typeof e === 'string' && a.replace(/\d+\.\d+/g, 'N') === e.replace(/\d+\.\d+/g, 'N'))) diffs.push(`${at}: ${JSON.stringify(a)} != ${JSON.stringify(e)}`);
    }
  };
  walk(actual, expected, '');
  expect(diffs, label).toEqual([]);
}

/** Linear interpolation between closest ranks (numpy's default). */
function quantile(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}
