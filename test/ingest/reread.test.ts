import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { query, runCli, storedCount, tmpDir } from '../helpers/cli.js';

const quarantined = (db: string) => query<{ n: number }>(db, 'SELECT count(*) AS n FROM quarantine')[0].n;
const durationSum = (db: string) => query<{ d: number }>(db, 'SELECT sum(dur_sum) AS d FROM minute_stats')[0].d;

describe('ingest --reread', () => {
  it('reads a file again after a fields mapping is added, exactly once; a file that gave events is refused', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const log = path.join(dir, 'app.log');
    // Records no format measures: a timestamp and a message, the operation and its time under keys of their own.
    fs.writeFileSync(log, [11, 12, 13].map((ms, i) =>
      JSON.stringify({ timestamp: `2026-11-20T12:0${i}:00Z`, level: 'info', message: 'image resized', job: 'resize', took_ms: ms })).join('\n') + '\n');
    const first = runCli(['--db', db, 'ingest', log]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/ingested 0 events .* 3 not operations/);

    // The mapping alone does not make the file read again: it is checkpointed as read.
    const config = path.join(dir, 'oplens.config.json');
    fs.writeFileSync(config, JSON.stringify({ fields: { ts: 'timestamp', op: 'job', duration: 'took_ms' } }));
    expect(runCli(['--db', db, '--config', config, 'ingest', log]).stderr).toMatch(/1 unchanged/);
    expect(storedCount(db)).toBe(0);

    const again = runCli(['--db', db, '--config', config, 'ingest', '--reread', log]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/ingested 3 events from 1 file/);
    expect(storedCount(db)).toBe(3);
    expect(durationSum(db)).toBe(11 + 12 + 13);

    // Later runs find it read; a second --reread would count its events twice and is refused, changing nothing.
    expect(runCli(['--db', db, '--config', config, 'ingest', log]).stderr).toMatch(/1 unchanged/);
    const twice = runCli(['--db', db, '--config', config, 'ingest', '--reread', log]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(`--reread: ${log} already gave 3 events to the store; reading it again would count them twice`);
    expect(twice.stderr).toMatch(/hint: .*move the database aside and ingest all the logs again/);
    expect(storedCount(db)).toBe(3);
  });

  it('drops the lines it quarantined before, so they are not counted twice', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const log = path.join(dir, 'q.jsonl');
    fs.writeFileSync(log, [1, 2].map((i) => JSON.stringify({ timestamp: `2026-11-20T12:0${i}:00Z`, operation: 'x', duration: 'fast' })).join('\n') + '\n');
    expect(runCli(['--db', db, 'ingest', log]).stderr).toMatch(/2 quarantined/);
    expect(quarantined(db)).toBe(2);
    const r = runCli(['--db', db, 'ingest', '--reread', log]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/2 quarantined/);
    expect(quarantined(db)).toBe(2);
    expect(query(db, 'SELECT count(*) AS n FROM files')[0]).toEqual({ n: 1 });
  });

  it('reads a file the previous run could not recognise, once the mapping is there', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const log = path.join(dir, 'odd.jsonl');
    fs.writeFileSync(log, [5, 7].map((v, i) => JSON.stringify({ when: `2026-11-20T12:0${i}:00Z`, what: 'sync', spent: v })).join('\n') + '\n');
    expect(runCli(['--db', db, 'ingest', log]).stderr).toMatch(/no known log format recognises its records/);
    const config = path.join(dir, 'oplens.config.json');
    fs.writeFileSync(config, JSON.stringify({ fields: { ts: 'when', op: 'what', duration: 'spent' } }));
    const r = runCli(['--db', db, '--config', config, 'ingest', '--reread', log]);
    expect(r.code, r.stderr).toBe(0);
    expect(storedCount(db)).toBe(2);
    expect(durationSum(db)).toBe(12);
  });
});
