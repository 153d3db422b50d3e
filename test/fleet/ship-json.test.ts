import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, query, runCli, storedCount, tmpDir } from '../helpers/cli.js';
import { chQuery, counted, serverPerSuite } from '../helpers/clickhouse.js';

const WORKER = path.join(ROOT, 'fixtures/demo/worker.log');

describe('ship --json', () => {
  const ch = serverPerSuite();

  it('prints the summary as one JSON document: what was shipped, where to, as which source; a repeat ships nothing', async () => {
    const db = path.join(tmpDir(), 'host.db');
    expect(runCli(['--db', db, 'ingest', WORKER, '--quiet']).code).toBe(0);
    const url = ch.url('shipjson');
    const first = runCli(['--db', db, 'ship', '--to', url, '--source', 'host-1', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    const doc = JSON.parse(first.stdout);
    const quarantined = query<{ n: number }>(db, 'SELECT count(*) AS n FROM quarantine')[0].n;
    expect(doc).toEqual({
      target: ch.url('shipjson'), source: 'host-1', events: storedCount(db),
      batches: expect.any(Number), quarantined, adopted: 0, rollupsOnly: null,
    });
    expect(doc.batches).toBeGreaterThan(0);
    const [fleet] = await chQuery(ch.server.url, `SELECT sum(count) AS n FROM ${counted('shipjson', 'minute_stats')} AND source = 'host-1'`);
    expect(fleet.n).toBe(doc.events);

    const again = JSON.parse(runCli(['--db', db, 'ship', '--to', url, '--source', 'host-1', '--json']).stdout);
    expect(again).toMatchObject({ events: 0, batches: 0 });
  });
});
