import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeLog } from '../../fixtures/generate-log.mjs';
import { runCliAsync, WatchProcess, waitUntil } from './watch-harness.js';
import { storedCount, tmpDir } from '../helpers/cli.js';

afterEach(() => WatchProcess.killAll());

const FILES = 4;
const PER_FILE = 30_000;

describe('watch and ingest reading the same files at once', () => {
  it("each counts only the lines it committed: watch's and ingest's line counts add up to the lines written", async () => {
    const dir = tmpDir();
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    for (let i = 0; i < FILES; i++) await writeLog(path.join(logs, `f${i}.jsonl`), { seed: 40 + i, count: PER_FILE });
    const db = path.join(dir, 'db');
    const config = path.join(dir, 'oplens.config.json');
    // Small batches: many commits, so the two processes meet on the same file and one yields to the other.
    fs.writeFileSync(config, JSON.stringify({ ingest: { batchLines: 1000 } }));
    const watch = new WatchProcess(['--db', db, '--config', config, 'watch', logs]);
    const ingest = runCliAsync(['--db', db, '--config', config, 'ingest', logs]);
    const ing = await ingest;
    expect(ing.code, ing.stderr).toBe(0);
    await waitUntil('every line stored', () => storedCount(db) === FILES * PER_FILE, 60_000, 100);
    await watch.waitForStderr(/caught up/, 60_000);
    expect(await watch.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    const watched = /stopped: ([\d,]+) events? from ([\d,]+) lines?/.exec(watch.stderr);
    const ingested = /ingested ([\d,]+) events? from \d+ files?, ([\d,]+) lines?/.exec(ing.stderr);
    expect(watched, watch.stderr).not.toBeNull();
    expect(ingested, ing.stderr).not.toBeNull();
    const n = (s: string) => Number(s.replace(/,/g, ''));
    expect(n(watched![1]) + n(ingested![1])).toBe(FILES * PER_FILE);
    expect(n(watched![2]) + n(ingested![2])).toBe(FILES * PER_FILE);
  }, 120_000);
});
