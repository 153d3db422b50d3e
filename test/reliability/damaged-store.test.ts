import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertWhole, CHECK_EVERY_OPEN_BYTES, CHECK_INTERVAL_MS } from '../../src/store/sqlite/integrity.js';
import { ROOT, runCli, tmpDir } from '../helpers/cli.js';

/** The exit code of a damaged store (README, "Exit codes"). */
const DAMAGED = 4;
const DEMO = path.join(ROOT, 'fixtures/demo');
const WEEK = ['--since', '2026-11-09', '--until', '2026-11-16'];

let dir: string;
let intact: string;

/** A real store: the demo logs ingested once; each test damages its own copy. */
beforeAll(() => {
  dir = tmpDir();
  intact = path.join(dir, 'intact.db');
  const r = runCli(['--db', intact, 'ingest', DEMO, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
}, 60_000);

function copy(name: string): string {
  const to = path.join(dir, name);
  fs.copyFileSync(intact, to);
  return to;
}

function overwrite(file: string, at: number, bytes: Buffer): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, bytes, 0, bytes.length, at);
  } finally {
    fs.closeSync(fd);
  }
}

function withDb<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** A leaf page in the middle of a table's b-tree (SQLite's dbstat), zeroed as a torn write leaves it. */
function zeroLeafPageOf(file: string, table: string): number {
  const { page, size } = withDb(file, (db) => {
    const leaves = db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno").pluck().all(table) as number[];
    return { page: leaves[Math.floor(leaves.length / 2)], size: db.pragma('page_size', { simple: true }) as number };
  });
  overwrite(file, (page - 1) * size, Buffer.alloc(size));
  return page;
}

function expectNoStack(stderr: string): void {
  expect(stderr).not.toMatch(/RangeError|unexpected error|\n\s+at /);
}

describe('a database with damaged pages', () => {
  it('ingest, watch, status and analyze all refuse it with exit 4; status --check names the table and page', () => {
    const db = copy('torn.db');
    const page = zeroLeafPageOf(db, 'minute_stats');
    const log = path.join(dir, 'new.jsonl');
    fs.writeFileSync(log, '{"timestamp":"2026-11-20T12:00:00Z","operation":"x","duration":5,"success":true}\n');

    for (const args of [['ingest', log], ['watch', log], ['status'], ['analyze', ...WEEK]]) {
      const r = runCli(['--db', db, ...args]);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(DAMAGED);
      expect(r.stderr).toMatch(/database .*torn\.db is damaged/);
      expect(r.stderr).toMatch(/hint: `oplens status --check` lists the damage; restore the database from a backup/);
      expectNoStack(r.stderr);
    }

    const check = runCli(['--db', db, 'status', '--check']);
    expect(check.code).toBe(DAMAGED);
    expect(check.stdout).toMatch(/^integrity {2}DAMAGED/);
    expect(check.stdout).toContain(`table minute_stats (tree `);
    expect(check.stdout).toContain(`page ${page}:`);
    const json = runCli(['--db', db, 'status', '--check', '--format', 'json']);
    expect(json.code).toBe(DAMAGED);
    const doc = JSON.parse(json.stdout);
    expect(doc.integrity.ok).toBe(false);
    expect(doc.integrity.pages.some((p: string) => p.includes(`page ${page}:`))).toBe(true);
  });

  it('an intact store passes status --check with exit 0', () => {
    const r = runCli(['--db', intact, 'status', '--check']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/integrity {2}ok/);
    const json = JSON.parse(runCli(['--db', intact, 'status', '--check', '--format', 'json']).stdout);
    expect(json.integrity).toEqual({ ok: true, pages: [], chunks: [] });
    expect(json.events).toBeGreaterThan(0);
  });
});

describe('the page check at open, on a store too large to read whole at every open', () => {
  const large = CHECK_EVERY_OPEN_BYTES + 1;
  const now = Date.parse('2026-12-01T12:00:00Z');
  const checkedAt = (db: Database.Database, ms: number) =>
    db.prepare("INSERT INTO meta (key, value) VALUES ('pages_checked_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(ms));

  it('runs when the last clean check is a day old (or never ran, or lies in the future), and then not again that day', () => {
    const file = copy('large-torn.db');
    zeroLeafPageOf(file, 'minute_stats');
    withDb(file, (db) => {
      db.prepare("DELETE FROM meta WHERE key = 'pages_checked_at'").run();
      expect(() => assertWhole(db, file, large, now)).toThrow(/is damaged/);
      checkedAt(db, now - CHECK_INTERVAL_MS);
      expect(() => assertWhole(db, file, large, now)).toThrow(/is damaged/);
      checkedAt(db, now + 60_000);
      expect(() => assertWhole(db, file, large, now)).toThrow(/is damaged/);
      // Checked clean an hour ago: this open trusts it (the damage is found by tomorrow's check, or where touched).
      checkedAt(db, now - 3_600_000);
      expect(() => assertWhole(db, file, large, now)).not.toThrow();
      // A store small enough is checked at every open.
      expect(() => assertWhole(db, file, CHECK_EVERY_OPEN_BYTES, now)).toThrow(/is damaged/);
    });
  });

  it('records a clean check, which the next open within a day trusts', () => {
    const file = copy('large-whole.db');
    withDb(file, (db) => {
      db.prepare("DELETE FROM meta WHERE key = 'pages_checked_at'").run();
      assertWhole(db, file, large, now);
      expect(db.prepare("SELECT value FROM meta WHERE key = 'pages_checked_at'").pluck().get()).toBe(String(now));
    });
  });

  it('records a clean check of a small store too, which it keeps once a run has made it large', () => {
    const file = copy('large-whole.db');
    withDb(file, (db) => {
      db.prepare("DELETE FROM meta WHERE key = 'pages_checked_at'").run();
      assertWhole(db, file, CHECK_EVERY_OPEN_BYTES, now);
      expect(db.prepare("SELECT value FROM meta WHERE key = 'pages_checked_at'").pluck().get()).toBe(String(now));
    });
    // Grown past the threshold (a first ingest of a large log), then damaged: the refresh an hour later trusts the
    // check made at that ingest's open; the next day's check finds the damage.
    zeroLeafPageOf(file, 'minute_stats');
    withDb(file, (db) => {
      expect(() => assertWhole(db, file, large, now + 3_600_000)).not.toThrow();
      expect(() => assertWhole(db, file, large, now + CHECK_INTERVAL_MS)).toThrow(/is damaged/);
    });
  });
});

describe('a damaged raw-event chunk', () => {
  /** A chunk of the demo week, with what names it in a message. */
  function someChunk(db: string): { id: number; hour: number; op: string; data: Buffer } {
    return withDb(db, (d) => d.prepare(`SELECT c.id, c.hour, o.name AS op, c.data FROM event_chunks c JOIN ops o ON o.id = c.op_id
      WHERE c.hour >= ? AND c.n >= 8 ORDER BY c.id LIMIT 1`).get(Date.UTC(2026, 10, 10)) as { id: number; hour: number; op: string; data: Buffer });
  }

  function expectChunkError(stderr: string, c: { id: number; hour: number; op: string }): void {
    expect(stderr).toContain(`raw events of operation "${c.op}"`);
    expect(stderr).toContain(`in the hour ${new Date(c.hour).toISOString().slice(0, 13)}:00Z (chunk ${c.id},`);
    expect(stderr).toMatch(/hint: each hour's rollups are stored apart from its raw events and are intact/);
    expectNoStack(stderr);
  }

  it('with bytes flipped inside it (SQLite sees nothing wrong): analyze and status --check name it, exit 4', () => {
    const db = copy('flipped.db');
    const c = someChunk(db);
    // The chunk's bytes in the file: its timestamps come first; the fourth one is overwritten with garbage.
    const file = fs.readFileSync(db);
    const at = file.indexOf(c.data.subarray(0, 64));
    expect(at).toBeGreaterThan(0);
    expect(file.indexOf(c.data.subarray(0, 64), at + 1)).toBe(-1);
    overwrite(db, at + 3 * 8, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef]));

    const a = runCli(['--db', db, 'analyze', ...WEEK, '--exact']);
    expect(a.code, a.stderr).toBe(DAMAGED);
    expectChunkError(a.stderr, c);
    expect(a.stderr).toMatch(/event 3 has the time/);

    const check = runCli(['--db', db, 'status', '--check']);
    expect(check.code).toBe(DAMAGED);
    expect(check.stdout).toContain(`(chunk ${c.id},`);
    expect(check.stdout).not.toMatch(/page check/);
  });

  it('cut short: a clear error, not a RangeError', () => {
    const db = copy('short.db');
    const c = someChunk(db);
    withDb(db, (d) => d.prepare('UPDATE event_chunks SET data = substr(data, 1, length(data) - 5) WHERE id = ?').run(c.id));
    const a = runCli(['--db', db, 'analyze', ...WEEK, '--exact']);
    expect(a.code, a.stderr).toBe(DAMAGED);
    expectChunkError(a.stderr, c);
    expect(a.stderr).toMatch(/it holds \d+ bytes where \d+ events take \d+/);
  });
});
