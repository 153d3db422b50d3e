import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinUnder } from '../../src/ingest/expand-paths.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli, storedCount, tmpDir } from '../helpers/cli.js';

const T0 = Date.UTC(2026, 10, 20, 10);

/** `n` small logs of three lines each, spread over a few nested directories (one of them hidden). */
function smallLogs(n: number): string {
  const dir = tmpDir();
  for (let i = 0; i < n; i++) {
    const sub = path.join(dir, ['', 'a', 'a/b', '.hidden'][i % 4]);
    fs.mkdirSync(sub, { recursive: true });
    const lines = [0, 1, 2].map((k) => JSON.stringify({ timestamp: T0 + i * 1000 + k, operation: `job.${i % 7}`, duration: k + 1, success: true }));
    fs.writeFileSync(path.join(sub, `app-${String(i).padStart(5, '0')}.jsonl`), lines.join('\n') + '\n');
  }
  return dir;
}

describe('a directory of many small files', () => {
  it('is read whole, once, by the CLI; the next run finds every file unchanged', () => {
    const dir = smallLogs(600);
    const db = path.join(tmpDir(), 'x.db');
    const first = runCli(['--db', db, 'ingest', dir]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/ingested 1,800 events from 600 files, 1,800 lines/);
    expect(storedCount(db)).toBe(1800);
    const again = runCli(['--db', db, 'ingest', dir]);
    expect(again.stderr).toMatch(/ingested 0 events from 0 files, .*, 600 unchanged/);
    const json = JSON.parse(runCli(['--db', db, 'ingest', dir, '--json']).stdout) as { files: Array<{ status: string }> };
    expect(json.files).toHaveLength(600);
    expect(json.files.every((f) => f.status === 'unchanged')).toBe(true);
    expect(storedCount(db)).toBe(1800);
  });

  it('a run that reports totals only keeps no per-file results, and counts them by status', async () => {
    const dir = smallLogs(300);
    const store = openSqliteStore(path.join(tmpDir(), 'x.db'));
    try {
      const listed = await ingest({ store, paths: [dir] });
      expect(listed.files).toHaveLength(300);
      expect(listed.statuses).toMatchObject({ read: 300, unchanged: 0, failed: 0 });
      fs.appendFileSync(path.join(dir, 'app-00000.jsonl'), JSON.stringify({ timestamp: T0 + 5, operation: 'job.0', duration: 1, success: true }) + '\n');
      const totals = await ingest({ store, paths: [dir], listFiles: false });
      expect(totals.files).toEqual([]);
      expect(totals.statuses).toMatchObject({ read: 1, unchanged: 299, failed: 0 });
      expect(totals.events).toBe(1);
      expect(totals.formats).toEqual(['native']);
    } finally {
      await store.close();
    }
  });
});

describe('joinUnder', () => {
  const segment = fc.constantFrom('.', '..', '', 'logs', 'a b', '.hidden', 'x.jsonl', '-');
  const name = fc.constantFrom('a', 'b.jsonl', '.x.log', 'app-1.ndjson', 'a b.json.gz', '..x.jsonl');
  it('is path.join for the relative paths a directory walk gives', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.array(name, { minLength: 1, maxLength: 3 }), (abs, dirParts, slash, relParts) => {
        const dir = (abs ? '/' : '') + dirParts.join('/') + (slash ? '/' : '');
        if (dir === '') return;
        const rel = relParts.join('/');
        expect(joinUnder(dir)(rel)).toBe(path.join(dir, rel));
      }),
    );
  });
});
