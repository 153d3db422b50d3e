import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM generator shared with the benchmark (no types)
import { generateLines } from '../../fixtures/generate-log.mjs';
import { runCli, tmpDir } from '../helpers/cli.js';
import { chCommand, serverPerSuite } from '../helpers/clickhouse.js';
import { WEEK_START } from './fleet-fixture.js';

/**
 * A fleet's raw events are ordered by time, so a short window's raw reads touch only the granules of its range: the
 * server is told to refuse a read of more rows than three granules (8,192 rows each) hold (of ten), and the count still comes
 * out as the local log's.
 */
describe('raw events on a fleet, ordered by time', () => {
  const ch = serverPerSuite();
  const EVENTS = 80_000;
  const DAY_MS = 86_400_000;
  let lines: string[];
  beforeAll(() => {
    lines = [...generateLines({ seed: 808, count: EVENTS, startMs: WEEK_START, endMs: WEEK_START + DAY_MS, gapMs: DAY_MS / EVENTS })];
    const dir = tmpDir();
    const log = path.join(dir, 'day.jsonl');
    fs.writeFileSync(log, lines.join(''));
    const db = path.join(dir, 'day.db');
    expect(runCli(['--db', db, 'ingest', log, '--source', 'day-1']).code).toBe(0);
    expect(runCli(['--db', db, 'ship', '--to', ch.url('ordered'), '--source', 'day-1']).code).toBe(0);
  }, 120_000);

  it('reads a window of twenty minutes from a few of its granules', async () => {
    const from = WEEK_START + 9 * 3_600_000;
    const to = from + 20 * 60_000;
    const expected = lines.map((l) => new Date(JSON.parse(l).timestamp).getTime()).filter((t) => t >= from && t < to).length;
    expect(expected).toBeGreaterThan(500);
    const answer = await chCommand(`${ch.server.url}/?max_rows_to_read=${3 * 8_192}&read_overflow_mode=throw`, `SELECT count() FROM ordered.events WHERE ts >= ${from} AND ts < ${to} FORMAT TSV`);
    expect(Number(answer.trim())).toBe(expected);
  });
});
