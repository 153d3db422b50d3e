import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';
import { chCommand, chQuery, startServer, type TestServer } from '../helpers/clickhouse.js';
import { hostStore, localTotals, WEEK_MS, WEEK_START } from './fleet-fixture.js';
import { analyzeJson, expectSameDocument } from './same-document.js';
import { FleetConnection } from '../../src/store/clickhouse/connection.js';
import { counted, CountedRows } from '../../src/store/clickhouse/counted-rows.js';
import { rowsOf } from '../../src/store/clickhouse/columns.js';

/**
 * status, baseline and prune on `--db clickhouse://…` do what they do on a local store that holds the same events:
 * two hosts ship a week each into one server; a combined local store of both logs is the reference.
 */
const NOW = new Date(WEEK_START + WEEK_MS).toISOString();

describe('status, baseline and prune on a fleet store', () => {
  let server: TestServer & { cleanup(): Promise<void> };
  let combined: string;
  let hosts: Array<{ name: string; db: string; log: string }>;
  const url = () => `clickhouse://127.0.0.1:${server.http}/cmds`;

  beforeAll(async () => {
    server = await startServer();
    const dir = tmpDir();
    combined = path.join(dir, 'combined.db');
    hosts = [['web-1', 71, 3_000], ['web-2', 72, 2_000]].map(([name, seed, count]) => ({ name: name as string, ...hostStore(dir, name as string, seed as number, count as number) }));
    for (const h of hosts) {
      expect(runCli(['--db', combined, 'ingest', h.log, '--source', h.name]).code).toBe(0);
      expect(runCli(['--db', h.db, 'ship', '--to', url(), '--source', h.name]).code).toBe(0);
    }
  }, 180_000);
  afterAll(async () => {
    await server?.cleanup();
  });

  const cli = (db: string, ...args: string[]) => runCli(['--db', db, ...args]);

  it('status counts what the hosts shipped, and says what each host sent', () => {
    const local = JSON.parse(cli(combined, 'status', '--json').stdout);
    const r = cli(url(), 'status', '--json');
    expect(r.code, r.stderr).toBe(0);
    const fleet = JSON.parse(r.stdout);
    expect(fleet.db.path).toBe(url());
    expect(fleet.db.bytes).toBeGreaterThan(0);
    for (const k of ['events', 'rawEvents', 'range', 'operations', 'quarantined', 'quarantineReasons']) expect(fleet[k], k).toEqual(local[k]);
    expect(fleet.sources).toEqual(local.sources);
    expect(fleet.shipped.map((h: { source: string; events: number }) => [h.source, h.events])).toEqual(hosts.map((h) => [h.name, localTotals(h.db).events]));
    const text = cli(url(), 'status');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^shipped {4}2 hosts$/m);
    expect(text.stdout).toMatch(new RegExp(`^  web-1  ${localTotals(hosts[0].db).events.toLocaleString('en-US')} events in 1 batch, last `, 'm'));
  });

  it('status --check checks the schema and every shipped batch against its ledger, and names what is wrong', async () => {
    const ok = cli(url(), 'status', '--check');
    expect(ok.code, ok.stderr).toBe(0);
    // ClickHouse 18.16 cannot CHECK TABLE a MergeTree table: said so, not claimed checked.
    expect(ok.stdout).toMatch(/^integrity {2}ok \(schema \d+ on the server; CHECK TABLE[^;]*; 2 confirmed batches of 2 hosts match their ledger\)$/m);
    expect(JSON.parse(cli(url(), 'status', '--check', '--json').stdout).integrity).toMatchObject({ ok: true, problems: [] });

    // Rows of a second attempt of a confirmed batch, as if inserted by hand: they would count twice.
    const db = 'cmds';
    await chCommand(server.url, `INSERT INTO ${db}.events (op, ts, ok, timeout, stream, source, batch, attempt, dim_keys, dim_values)
      VALUES ('GET /x', ${WEEK_START}, 1, 0, 'app', 'web-1', 1, 99, [], [])`);
    // A column dropped outside oplens.
    await chCommand(server.url, `ALTER TABLE ${db}.raw_pruned DROP COLUMN at`);
    const schema = cli(url(), 'status', '--check');
    expect(schema.code).toBe(4);
    expect(schema.stdout).toContain('table raw_pruned lacks at');
    await chCommand(server.url, `ALTER TABLE ${db}.raw_pruned ADD COLUMN at Int64`);
    const twice = cli(url(), 'status', '--check');
    expect(twice.code).toBe(4);
    expect(twice.stdout).toContain('source "web-1", batch 1: rows of attempt 99 count besides those of its confirmed attempt 1, so its events count twice');
    expect(twice.stderr).toContain('hint:');
    const json = JSON.parse(cli(url(), 'status', '--check', '--json').stdout);
    expect(json.integrity.ok).toBe(false);
    expect(json.integrity.problems).toHaveLength(1);

    // Voided, the stray attempt no longer counts, and the store checks clean again.
    await chCommand(server.url, `INSERT INTO ${db}.voided VALUES ('web-1', 1, 99)`);
    expect(cli(url(), 'status', '--check').code).toBe(0);
  });

  it('a read counts without an attempt voided after the reader took its list of voided attempts', async () => {
    const db = 'voidguard';
    const h = hosts[0];
    const copy = path.join(tmpDir(), 'host.db');
    fs.copyFileSync(h.db, copy);
    expect(cli(copy, 'ship', '--to', `clickhouse://127.0.0.1:${server.http}/${db}`, '--source', h.name).code).toBe(0);
    const conn = await FleetConnection.open(`clickhouse://127.0.0.1:${server.http}/${db}`, { create: false });
    try {
      const reads = new CountedRows(conn);
      await reads.load();
      const count = async () => Number(rowsOf<{ n: number }>(await reads.query(`SELECT count() AS n FROM ${counted(db, 'events')}`))[0].n);
      expect(await count()).toBe(localTotals(h.db).events);
      // A shipper voids the batch's attempt now (as before it sends the batch again): the next read must not count it.
      await chCommand(server.url, `INSERT INTO ${db}.voided VALUES (${JSON.stringify(h.name).replace(/"/g, "'")}, 1, 1)`);
      expect(await count()).toBe(0);
    } finally {
      await conn.close();
    }
  });

  it('baseline save, list, use and rm work on the fleet as on a local store', () => {
    const save = ['baseline', 'save', 'first-half', '--since', '2026-11-09T00:00:00Z', '--until', '2026-11-12T00:00:00Z'];
    for (const db of [combined, url()]) {
      const r = cli(db, ...save);
      expect(r.code, r.stderr).toBe(0);
      expect(cli(db, ...save).code).toBe(cli(combined, ...save).code); // a second save without --replace is refused alike
    }
    const list = (db: string) => JSON.parse(cli(db, 'baseline', 'list', '--json').stdout).map((b: { name: string; windowFrom: number; windowTo: number }) => [b.name, b.windowFrom, b.windowTo]);
    expect(list(url())).toEqual(list(combined));
    expect(list(url())).toHaveLength(1);
    const args = ['--since', '2026-11-12T00:00:00Z', '--until', '2026-11-16T00:00:00Z', '--baseline', 'first-half'];
    const local = analyzeJson(combined, args, NOW);
    expect(local.comparison.baseline.name).toBe('first-half');
    expectSameDocument(analyzeJson(url(), args, NOW), local, args.join(' '));
    for (const db of [combined, url()]) expect(cli(db, 'baseline', 'rm', 'first-half').code).toBe(0);
    expect(list(url())).toEqual([]);
    const again = cli(url(), 'baseline', 'rm', 'first-half');
    const localAgain = cli(combined, 'baseline', 'rm', 'first-half');
    expect([again.code, again.stderr.replace(url(), 'DB')]).toEqual([localAgain.code, localAgain.stderr.replace(combined, 'DB')]);
  }, 180_000);

  it('prune drops the fleet’s raw events before a day, keeps the rollups, and answers as a pruned local store', async () => {
    const prune = ['prune', '--older-than', '3d', '--now', NOW];
    const local = cli(combined, ...prune);
    const fleet = cli(url(), ...prune);
    expect(fleet.code, fleet.stderr).toBe(0);
    expect(fleet.stderr).toBe(local.stderr);
    const status = JSON.parse(cli(url(), 'status', '--json').stdout);
    expect(status.rawEvents).toBe(JSON.parse(cli(combined, 'status', '--json').stdout).rawEvents);
    for (const args of [['--days', '7'], ['--since', '2026-11-12T06:30:00Z', '--until', '2026-11-14T18:10:00Z'], ['--since', '2026-11-13T06:30:00Z', '--until', '2026-11-15T18:10:00Z', '--exact']]) {
      const doc = analyzeJson(combined, args, NOW);
      expect(doc.coverage.rawRetainedFrom).toBe(Date.parse('2026-11-13T00:00:00Z'));
      expectSameDocument(analyzeJson(url(), args, NOW), doc, args.join(' '));
    }

    // The check takes the pruned days into account: each batch's raw events from the cut on against its minute rows.
    const checked = cli(url(), 'status', '--check');
    expect(checked.code, checked.stdout).toBe(0);
    const cut = Date.parse('2026-11-13T00:00:00Z');
    const [{ attempt }] = await chQuery<{ attempt: number }>(server.url, `SELECT attempt FROM cmds.shipments WHERE source = 'web-1' AND batch = 1 AND state = 'done'`);
    await chCommand(server.url, `INSERT INTO cmds.events (op, ts, ok, timeout, stream, source, batch, attempt, dim_keys, dim_values)
      VALUES ('GET /x', ${cut + 1_000}, 1, 0, 'app', 'web-1', 1, ${attempt}, [], [])`);
    const damaged = cli(url(), 'status', '--check');
    expect(damaged.code, damaged.stdout).toBe(4);
    expect(damaged.stdout).toMatch(/source "web-1", batch 1: [\d,]+ raw events from the prune cut on, where its minute rollups count [\d,]+/);
  }, 180_000);
});
