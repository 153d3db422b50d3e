import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';
import { chCommand, chQuery, serverPerSuite } from '../helpers/clickhouse.js';
import { FleetConnection } from '../../src/store/clickhouse/connection.js';
import { counted, CountedRows, unrolledPart } from '../../src/store/clickhouse/counted-rows.js';
import { rowsOf } from '../../src/store/clickhouse/columns.js';
import { hostStore, localTotals } from './fleet-fixture.js';

/**
 * The query worker reads the attempts shipped without hour rows (schema 3 and older shippers) once, writes them into
 * the hour reads as a list, and leaves the part that reads them out when there are none; an attempt of that kind
 * shipped after the list was read still counts (the list's guard fails the query, the list is read again).
 */
describe('attempts shipped without hour rows, as the query worker lists them', () => {
  const ch = serverPerSuite();
  const db = 'unrolled';
  let conn: FleetConnection;
  let events: number;
  beforeAll(async () => {
    const dir = tmpDir();
    const host = hostStore(dir, 'unrolled-1', 909, 2_000);
    expect(runCli(['--db', host.db, 'ship', '--to', ch.url(db), '--source', 'unrolled-1', '--batch-events', '1000']).code).toBe(0);
    events = localTotals(host.db).events;
    conn = await FleetConnection.open(ch.url(db), { create: false });
  });
  afterAll(async () => {
    await conn?.close();
  });

  /** Every event of the fleet: the hour rows, and the minute rows of the listed attempts (their part, when there are any). */
  const total = (part: (attempts: string) => string) =>
    `SELECT sum(c) AS n FROM (SELECT count AS c FROM ${counted(db, 'hour_stats')}${unrolledPart(part)})`;
  const fromMinutes = (attempts: string) => ` UNION ALL SELECT count AS c FROM ${counted(db, 'minute_stats')} AND (source, batch, attempt) IN ${attempts}`;
  const sum = async (rows: CountedRows, sql: string) => Number(rowsOf<{ n: number }>(await rows.query(sql))[0].n);

  it('leaves the part out while there are none, and counts one that an older shipper adds after the list was read', async () => {
    const rows = new CountedRows(conn);
    await rows.load();
    expect(await sum(rows, total(fromMinutes))).toBe(events);
    // Left out whole: a part that reads a table that does not exist does not fail the query.
    expect(await sum(rows, total(() => ` UNION ALL SELECT count AS c FROM ${db}.no_such_table`))).toBe(events);
    // An older shipper's attempt: its ledger rows without hour_rows and its minute rows, no hour rows.
    const [b] = await chQuery<{ batch: number }>(ch.server.url, `SELECT max(batch) AS batch FROM ${db}.shipments`);
    const batch = Number(b.batch) + 1;
    const [m] = await chQuery<{ n: number }>(ch.server.url, `SELECT sum(count) AS n FROM ${db}.minute_stats WHERE batch = 1`);
    const cols = (await chQuery<{ c: string }>(ch.server.url, `SELECT name AS c FROM system.columns WHERE database = '${db}' AND table = 'minute_stats' AND name != 'batch'`)).map((r) => r.c);
    await chCommand(ch.server.url, `INSERT INTO ${db}.shipments (source, batch, attempt, state) VALUES ('unrolled-1', ${batch}, 1, 'started')`);
    await chCommand(ch.server.url, `INSERT INTO ${db}.minute_stats (${cols.join(', ')}, batch) SELECT ${cols.join(', ')}, ${batch} FROM ${db}.minute_stats WHERE batch = 1`);
    expect(await sum(rows, total(fromMinutes))).toBe(events + Number(m.n));
    // Read again, the list holds it: the part is in, and a voided attempt of it would not count.
    expect(await sum(new CountedRows(conn), total(fromMinutes))).toBe(events + Number(m.n));
    await chCommand(ch.server.url, `INSERT INTO ${db}.voided VALUES ('unrolled-1', ${batch}, 1)`);
    expect(await sum(rows, total(fromMinutes))).toBe(events);
  });
});
