import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM generator shared with the benchmark (no types)
import { generateLines } from '../../fixtures/generate-log.mjs';
import { runCli, spawnCli, tmpDir } from '../helpers/cli.js';
import { chCommand, chQuery, counted, serverPerSuite } from '../helpers/clickhouse.js';
import { MIGRATIONS, migrationStatements, SCHEMA_VERSION } from '../../src/store/clickhouse/schema.js';
import { hostStore, localTotals, WEEK_START } from './fleet-fixture.js';
import { analyzeJson, expectSameDocument } from './same-document.js';

/**
 * Shipping never loses or doubles an event: the fleet's counted rows equal the local store's after kills of the
 * shipper at any point, repeats, and a server crash in the middle of a shipment.
 */
describe('ship: idempotent and resumable against a real ClickHouse', () => {
  const ch = serverPerSuite();
  const url = ch.url;
  let dir: string;
  beforeAll(() => {
    dir = tmpDir();
  });

  /** The fleet's totals for one source, from the rows the protocol counts, and a duplicate check on raw events. */
  async function fleetTotals(db: string, source: string) {
    const where = `AND source = '${source}'`;
    const [ev] = await chQuery(ch.server.url, `SELECT count() AS n, uniqExact(ts, op) AS u FROM ${counted(db, 'events')} ${where}`);
    const [m] = await chQuery(ch.server.url, `SELECT sum(count) AS n, sum(dur_count) AS d, sum(error_count) AS e FROM ${counted(db, 'minute_stats')} ${where}`);
    const [h] = await chQuery(ch.server.url, `SELECT sum(n) AS n FROM ${counted(db, 'hour_hist')} ${where}`);
    const [g] = await chQuery(ch.server.url, `SELECT sum(count) AS n FROM ${counted(db, 'error_groups')} ${where}`);
    const [q] = await chQuery(ch.server.url, `SELECT count() AS n FROM ${counted(db, 'quarantine')} ${where}`);
    const [hs] = await chQuery(ch.server.url, `SELECT sum(count) AS n, sum(dur_count) AS d FROM ${counted(db, 'hour_stats')} ${where}`);
    return {
      rawEvents: ev.n, distinctRaw: ev.u, events: m.n, durations: m.d, errors: m.e, histogram: h.n, errorGroups: g.n, quarantined: q.n,
      hourEvents: hs.n, hourDurations: hs.d,
    };
  }

  function expectExact(fleet: Awaited<ReturnType<typeof fleetTotals>>, local: ReturnType<typeof localTotals>) {
    expect(fleet).toEqual({
      rawEvents: local.events, distinctRaw: local.events, events: local.events, durations: local.durations,
      errors: local.errors, histogram: local.durations, errorGroups: local.errors, quarantined: local.quarantined,
      hourEvents: local.events, hourDurations: local.durations,
    });
  }

  it('ships a store once, and a second run sends nothing', async () => {
    const host = hostStore(dir, 'repeat-1', 101, 3_000);
    const first = runCli(['--db', host.db, 'ship', '--to', url('repeat'), '--source', 'repeat-1', '--batch-events', '1000']);
    expect(first.stderr).toContain(`shipped ${localTotals(host.db).events.toLocaleString('en-US')} events in 3 batches`);
    expect(first.code).toBe(0);
    const second = runCli(['--db', host.db, 'ship', '--to', url('repeat'), '--source', 'repeat-1']);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('shipped 0 events in 0 batches');
    expectExact(await fleetTotals('repeat', 'repeat-1'), localTotals(host.db));
  });

  it('loses and doubles nothing when the shipper is SIGKILLed again and again mid-shipment', async () => {
    const host = hostStore(dir, 'killed-1', 202, 4_000);
    const db = 'killed';
    const ship = ['--db', host.db, 'ship', '--to', url(db), '--source', 'killed-1', '--batch-events', '300'];
    let kills = 0;
    for (let round = 0; round < 6; round++) {
      const before = await startedRows(db);
      const child = spawnCli(ship);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      // Kill at a different point each round: right after an attempt's 'started' row (rows of its batch are
      // arriving), or one batch later.
      const killed = await waitFor(async () => child.exitCode !== null || (await startedRows(db)) >= before + 1 + (round % 2));
      if (killed && child.exitCode === null) {
        child.kill('SIGKILL');
        kills++;
      }
      await exited;
    }
    expect(kills).toBeGreaterThanOrEqual(4);
    const last = runCli(ship);
    expect(last.code).toBe(0);
    expectExact(await fleetTotals(db, 'killed-1'), localTotals(host.db));
    // Some kill landed between an attempt's first rows and its 'done' row, so the protocol had to void one.
    const [v] = await chQuery(ch.server.url, `SELECT count() AS n FROM ${db}.voided`);
    expect(v.n).toBeGreaterThan(0);
  }, 240_000);

  async function startedRows(db: string): Promise<number> {
    const [t] = await chQuery(ch.server.url, `SELECT count() AS n FROM system.tables WHERE database = '${db}' AND name = 'shipments'`);
    if (!t.n) return 0;
    const [s] = await chQuery(ch.server.url, `SELECT countIf(state = 'started') AS n FROM ${db}.shipments`);
    return s.n;
  }

  it('catches up after the server crashes mid-shipment and comes back', async () => {
    const host = hostStore(dir, 'outage-1', 303, 4_000);
    const db = 'outage';
    const child = spawnCli(['--db', host.db, 'ship', '--to', url(db), '--source', 'outage-1', '--batch-events', '300']);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor(async () => {
      const [r] = await chQuery(ch.server.url, `SELECT count() AS n FROM system.tables WHERE database = '${db}' AND name = 'shipments'`);
      if (!r.n) return false;
      const [s] = await chQuery(ch.server.url, `SELECT countIf(state = 'done') AS n FROM ${db}.shipments`);
      return s.n >= 3;
    });
    await ch.server.stop();
    const code = await exited;
    await ch.server.start();
    if (code !== 0) {
      // The shipper stopped with one clear line; it ships what remains when run again.
      expect(code).toBe(1);
      expect(stderr).toMatch(/oplens: cannot reach ClickHouse at clickhouse:\/\/127\.0\.0\.1:\d+\/outage/);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
    const again = runCli(['--db', host.db, 'ship', '--to', url(db), '--source', 'outage-1']);
    expect(again.code).toBe(0);
    expectExact(await fleetTotals(db, 'outage-1'), localTotals(host.db));
  }, 180_000);

  it('watch --ship ships as it follows, queues through a server outage and catches up after it', async () => {
    const logDir = path.join(dir, 'live');
    fs.mkdirSync(logDir);
    const lines = [...generateLines({ seed: 505, count: 2_000, startMs: WEEK_START, gapMs: 60_000 })] as string[];
    const log = path.join(logDir, 'api.jsonl');
    fs.writeFileSync(log, lines.slice(0, 1_000).join(''));
    const db = path.join(dir, 'live.db');
    // --quiet, as the README's systemd unit runs it: the stop and the recovery are still told.
    const watch = spawnCli(['--db', db, '--quiet', 'watch', logDir, '--ship', url('live'), '--ship-source', 'live-1']);
    let stderr = '';
    watch.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => watch.once('exit', (code) => resolve(code)));
    const fleetEvents = async () => {
      const [t] = await chQuery(ch.server.url, `SELECT count() AS n FROM system.tables WHERE database = 'live' AND name = 'voided'`).catch(() => [{ n: 0 }]);
      if (!t.n) return 0;
      const [r] = await chQuery(ch.server.url, `SELECT count() AS n FROM ${counted('live', 'events')}`);
      return r.n;
    };
    try {
      expect(await waitFor(async () => (await fleetEvents()) === 1_000)).toBe(true);
      await ch.server.stop();
      fs.appendFileSync(log, lines.slice(1_000).join(''));
      expect(await waitFor(async () => /shipping stopped: cannot reach ClickHouse/.test(stderr))).toBe(true);
      await ch.server.start();
      expect(await waitFor(async () => (await fleetEvents()) === 2_000)).toBe(true);
      expect(await waitFor(async () => /works again/.test(stderr))).toBe(true);
    } finally {
      watch.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expectExact(await fleetTotals('live', 'live-1'), localTotals(db));
  }, 180_000);

  it('upgrades a fleet database of schema version 1 in place, then ships into it', async () => {
    const db = 'upgrade';
    await chCommand(ch.server.url, `CREATE DATABASE ${db}`);
    await chCommand(ch.server.url, `CREATE TABLE ${db}.schema_version (version UInt32, at Int64) ENGINE = MergeTree ORDER BY version`);
    for (const stmt of migrationStatements(db, MIGRATIONS[0], null, () => false)) await chCommand(ch.server.url, stmt);
    await chCommand(ch.server.url, `INSERT INTO ${db}.schema_version VALUES (1, 0)`);
    const host = hostStore(dir, 'upgrade-1', 606, 1_500);
    expect(runCli(['--db', host.db, 'ship', '--to', url(db), '--source', 'upgrade-1']).code).toBe(0);
    const cols = await chQuery<{ c: string }>(ch.server.url, `SELECT concat(table, '.', name) AS c FROM system.columns WHERE database = '${db}' AND name IN ('dim_keys', 'raw_from')`);
    expect(cols.map((r) => r.c).sort()).toEqual(['events.dim_keys', 'shipments.raw_from']);
    const [v] = await chQuery(ch.server.url, `SELECT max(version) AS v FROM ${db}.schema_version`);
    expect(v.v).toBe(SCHEMA_VERSION);
    expectExact(await fleetTotals(db, 'upgrade-1'), localTotals(host.db));
  });

  it('reads batches shipped before hour rollups (schema 3) after the upgrade, alone and beside new ones, as the local store', async () => {
    // A fleet at schema version 3: its tables as that version made them, holding the rows a shipper of that version
    // sent (the current shipper's rows of the tables version 3 has, shipped into another database and copied).
    const host = hostStore(dir, 'legacy-1', 707, 3_000);
    expect(runCli(['--db', host.db, 'ship', '--to', url('legacysrc'), '--source', 'legacy-1', '--batch-events', '1000']).code).toBe(0);
    const db = 'legacy';
    await chCommand(ch.server.url, `CREATE DATABASE ${db}`);
    await chCommand(ch.server.url, `CREATE TABLE ${db}.schema_version (version UInt32, at Int64) ENGINE = MergeTree ORDER BY version`);
    for (const m of MIGRATIONS.slice(0, 3)) for (const stmt of migrationStatements(db, m, null, () => false)) await chCommand(ch.server.url, stmt);
    await chCommand(ch.server.url, `INSERT INTO ${db}.schema_version VALUES (3, 0)`);
    for (const table of ['events', 'minute_stats', 'hour_hist', 'error_groups', 'quarantine', 'shipments', 'voided']) {
      const cols = (await chQuery<{ c: string }>(ch.server.url, `SELECT name AS c FROM system.columns WHERE database = '${db}' AND table = '${table}'`)).map((r) => r.c).join(', ');
      await chCommand(ch.server.url, `INSERT INTO ${db}.${table} (${cols}) SELECT ${cols} FROM legacysrc.${table}`);
    }
    const NOW = new Date(WEEK_START + 7 * 24 * 3_600_000).toISOString();
    const windows = [['--days', '7'], ['--since', new Date(WEEK_START + 2 * 3_600_000 + 17 * 60_000).toISOString(), '--until', new Date(WEEK_START + 50 * 3_600_000 + 41 * 60_000 + 5_000).toISOString()]];
    const expectSameAsLocal = (label: string) => {
      for (const w of windows) expectSameDocument(analyzeJson(url(db), w, NOW), analyzeJson(host.db, w, NOW), `${label} ${w.join(' ')}`);
    };
    expect(runCli(['--db', url(db), 'analyze', '--days', '7', '--now', NOW]).stderr).toContain('needs a schema upgrade');
    // The host's next ship upgrades the schema; every batch is confirmed there already, so it sends nothing.
    expect(runCli(['--db', host.db, 'ship', '--to', url(db), '--source', 'legacy-1']).stderr).toContain('shipped 0 events');
    expect((await chQuery(ch.server.url, `SELECT count() AS n FROM ${db}.hour_stats`))[0].n).toBe(0);
    expectSameAsLocal('batches of schema 3 only');
    // New batches of the same hours ship hour rows; the hours of both kinds add up.
    const more = path.join(dir, 'legacy-more.jsonl');
    fs.writeFileSync(more, [...generateLines({ seed: 708, count: 1_500, startMs: WEEK_START, endMs: WEEK_START + 7 * 24 * 3_600_000, gapMs: 400_000 })].join(''));
    expect(runCli(['--db', host.db, 'ingest', more, '--source', 'legacy-1']).code).toBe(0);
    expect(runCli(['--db', host.db, 'ship', '--to', url(db), '--source', 'legacy-1', '--batch-events', '1000']).code).toBe(0);
    expect((await chQuery(ch.server.url, `SELECT count() AS n FROM ${db}.hour_stats`))[0].n).toBeGreaterThan(0);
    expectSameAsLocal('batches of schema 3 and 4');
    expect(runCli(['--db', url(db), 'status', '--check']).code).toBe(0);
    // Hour rows of a batch shipped without them would count beside the rows derived from its minutes.
    const [old] = await chQuery<{ batch: number; attempt: number }>(ch.server.url, `SELECT batch, attempt FROM ${db}.shipments WHERE state = 'done' AND hour_rows = 0 ORDER BY batch LIMIT 1`);
    await chCommand(ch.server.url, `INSERT INTO ${db}.hour_stats (op, hour, count, source, batch, attempt) VALUES ('x', ${WEEK_START}, 7, 'legacy-1', ${old.batch}, ${old.attempt})`);
    const damaged = runCli(['--db', url(db), 'status', '--check']);
    expect(damaged.code).toBe(4);
    expect(damaged.stdout).toContain(`source "legacy-1", batch ${old.batch}: the hour rollups count 7 events, where its minute rollups (shipped without hour rows) say 0`);
  }, 120_000);

  it('ships text with tabs, newlines, quotes and backslashes as it was: operations, messages, dimensions', async () => {
    const hostile = ["tab\there", 'new\nline', "quote ' and \\' done", 'back\\slash \\N', 'nul\u0000byte', '[\'x\',\'y\']'];
    const lines = hostile.map((h, i) => JSON.stringify({
      timestamp: new Date(WEEK_START + i * 60_000).toISOString(), operation: `op ${h}`, duration: 10 + i, status: 500,
      error: { message: `failed: ${h}` }, region: h, version: `v${i}`,
    }));
    const log = path.join(dir, 'hostile.jsonl');
    fs.writeFileSync(log, lines.join('\n') + '\n');
    const db = path.join(dir, 'hostile.db');
    expect(runCli(['--db', db, 'ingest', log, '--source', 'hostile-1']).code).toBe(0);
    expect(runCli(['--db', db, 'ship', '--to', url('hostile'), '--source', 'hostile-1']).code).toBe(0);
    const rows = (await chQuery<{ op: string; error_message: string; k: string[]; v: string[] }>(ch.server.url,
      `SELECT op, error_message, dim_keys AS k, dim_values AS v FROM ${counted('hostile', 'events')} ORDER BY ts`))
      .map((r) => ({ op: r.op, error_message: r.error_message, dims: Object.fromEntries(r.k.map((k, i) => [k, r.v[i]])) }));
    expect(rows.map((r) => r.op)).toEqual(hostile.map((h) => `op ${h}`));
    expect(rows.map((r) => r.error_message)).toEqual(hostile.map((h) => `failed: ${h}`));
    expect(rows.map((r) => r.dims.region)).toEqual(hostile);
  });

  it('never prints credentials, also not when the server refuses them', async () => {
    const host = hostStore(dir, 'creds-1', 404, 200);
    const r = runCli(['--db', host.db, 'ship', '--to', `clickhouse://nobody:hunter2secret@127.0.0.1:${ch.server.http}/creds`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refused the credentials');
    expect(r.stderr + r.stdout).not.toContain('hunter2secret');
    const env = runCli(['--db', host.db, 'ship', '--to', `clickhouse://127.0.0.1:${ch.server.http}/creds`], {
      env: { OPLENS_CLICKHOUSE_USER: 'nobody', OPLENS_CLICKHOUSE_PASSWORD: 'hunter2secret' },
    });
    expect(env.code).toBe(1);
    expect(env.stderr + env.stdout).not.toContain('hunter2secret');
  });
});

/** Polls a condition (never a fixed sleep standing in for progress). */
async function waitFor(cond: () => Promise<boolean>, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}
