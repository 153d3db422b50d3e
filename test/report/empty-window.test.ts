import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';

let dir: string;
let db: string;

/** Two days of events, 2026-11-10 08:00 to 2026-11-11 17:59 UTC, with a host on each line. */
beforeAll(() => {
  dir = tmpDir();
  db = path.join(dir, 'db');
  const lines: string[] = [];
  for (const day of [10, 11]) {
    for (let h = 8; h < 18; h++) {
      for (let m = 0; m < 60; m += 10) {
        const ts = new Date(Date.UTC(2026, 10, day, h, m)).toISOString();
        lines.push(JSON.stringify({ timestamp: ts, operation: 'search', duration: 20 + m, success: true, host: 'api-1' }));
      }
    }
  }
  fs.writeFileSync(path.join(dir, 'app.jsonl'), lines.join('\n') + '\n');
  expect(runCli(['--db', db, 'ingest', path.join(dir, 'app.jsonl'), '--quiet']).code).toBe(0);
});

/** The command the hint suggests, split into its arguments (the hint quotes nothing: flag values have no spaces). */
function suggested(stderr: string): string[] {
  const m = /(oplens (?:analyze|report weekly|incident) [^\n]*)$/m.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return m![1].split(' ').slice(1);
}

describe('a window with no events names what the store holds and how to reach it', () => {
  it('analyze: the stored range and the --since/--until that cover it; the suggestion works', () => {
    const r = runCli(['--db', db, 'analyze', '--days', '7', '--now', '2026-12-01T00:00Z']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no events in 2026-11-24 00:00Z – 2026-12-01 00:00Z/);
    expect(r.stderr).toContain('the store holds events from 2026-11-10T08:00Z to 2026-11-11T17:51Z');
    const next = runCli(['--db', db, ...suggested(r.stderr)]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/120 events|events\s+120/);
  });

  it('analyze with a filter nothing passes: the window has events, none that pass it', () => {
    const r = runCli(['--db', db, 'analyze', '--since', '2026-11-10', '--until', '2026-11-12', '--where', 'host=api-9']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('some in this window, but none that have the --where values');
  });

  it('report weekly: the week that holds the events', () => {
    const out = path.join(dir, 'reports');
    const r = runCli(['--db', db, 'report', 'weekly', '--now', '2026-12-10T00:00Z', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was ingested for 2026-W49; the store holds events from 2026-11-10T08:00Z');
    const next = runCli(['--db', db, ...suggested(r.stderr), '--now', '2026-12-10T00:00Z', '--out', out]);
    expect(next.code, next.stderr).toBe(0);
    expect(fs.readdirSync(out)).toContain('oplens-2026-W46.md');
  });

  it('incident: an --at inside the stored range', () => {
    const r = runCli(['--db', db, 'incident', '--at', '2026-12-01T10:00Z', '--now', '2026-12-02T00:00Z']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the store holds events from 2026-11-10T08:00Z to 2026-11-11T17:51Z');
    const next = runCli(['--db', db, ...suggested(r.stderr), '--now', '2026-12-02T00:00Z', '--out', path.join(dir, 'incident')]);
    expect(next.code, next.stderr).toBe(0);
  });

  it('an empty store says so', () => {
    const empty = path.join(dir, 'empty.db');
    fs.writeFileSync(path.join(dir, 'blank.jsonl'), '\n');
    runCli(['--db', empty, 'ingest', path.join(dir, 'blank.jsonl')]);
    const r = runCli(['--db', empty, 'analyze', '--days', '7', '--now', '2026-12-01T00:00Z']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the store is empty: run `oplens ingest PATH` first');
  });
});
