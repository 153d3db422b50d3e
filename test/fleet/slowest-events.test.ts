import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';
import { serverPerSuite } from '../helpers/clickhouse.js';
import { WEEK_START } from './fleet-fixture.js';
import { analyzeJson, expectSameDocument } from './same-document.js';

/**
 * The fleet narrows the slowest-events search to the minutes whose maximum reaches the k-th largest of the window's
 * whole minutes, in one query per operation: operations with fewer such minutes than the examples asked for, with
 * durations only in the window's partial edge minutes, with none at all, and with equally slow minutes give the
 * examples the local store gives.
 */
describe('the slowest events on a fleet, as the local store finds them', () => {
  const ch = serverPerSuite();
  let db: string;
  const at = (min: number, sec = 0) => new Date(WEEK_START + 10 * 3_600_000 + min * 60_000 + sec * 1_000).toISOString();
  beforeAll(() => {
    const line = (ts: string, operation: string, duration?: number) => JSON.stringify({ timestamp: ts, operation, ...(duration === undefined ? {} : { duration }), status: 200 });
    const lines = [
      // Two minutes with durations: fewer than the three examples asked for.
      line(at(0, 5), 'few', 50), line(at(1, 30), 'few', 70), line(at(1, 40), 'few', 20),
      // No durations at all.
      line(at(0, 10), 'none'), line(at(2, 0), 'none'),
      // Durations in the partial minutes at the window's edges, and one small one inside.
      line(at(0, 40), 'edge', 900), line(at(5, 10), 'edge', 800), line(at(3, 0), 'edge', 5), line(at(0, 10), 'edge', 999),
      // Many minutes, their maxima tied, and slower events beside faster ones in a minute.
      ...[1, 2, 3, 4].flatMap((m) => [line(at(m, 1), 'many', 300), line(at(m, 2), 'many', 10 * m)]),
      line(at(2, 30), 'many', 301), line(at(4, 59), 'many', 300),
    ];
    const dir = tmpDir();
    const log = path.join(dir, 'slow.jsonl');
    fs.writeFileSync(log, lines.join('\n') + '\n');
    db = path.join(dir, 'slow.db');
    expect(runCli(['--db', db, 'ingest', log, '--source', 'slow-1']).code).toBe(0);
    expect(runCli(['--db', db, 'ship', '--to', ch.url('slow'), '--source', 'slow-1']).code).toBe(0);
  });

  it('gives the same examples for windows with whole and partial minutes', () => {
    const now = new Date(WEEK_START + 86_400_000).toISOString();
    for (const w of [['--since', at(0, 30), '--until', at(5, 30)], ['--since', at(0), '--until', at(6)], ['--days', '1'], ['--since', at(1, 35), '--until', at(1, 45)]]) {
      const local = analyzeJson(db, w, now);
      expect(local.slowest.length, w.join(' ')).toBeGreaterThan(0);
      expectSameDocument(analyzeJson(ch.url('slow'), w, now), local, w.join(' '));
    }
  });
});
