import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';

/** The cut the store keeps: 190 characters, `…#`, the first 8 hex digits of the whole name's SHA-1. */
const expectedCut = (name: string) => `${name.slice(0, 190)}…#${createHash('sha1').update(name).digest('hex').slice(0, 8)}`;

describe('operation names longer than 200 characters', () => {
  it('are cut, stay apart when they differ after the cut, and the report says so', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    // A payload in the name (here a SQL text), differing only after 200 characters.
    const stem = `db.query SELECT ${Array.from({ length: 40 }, (_, i) => `col_${String.fromCharCode(97 + (i % 26))}`).join(', ')} FROM orders WHERE region = `;
    const long = ['north', 'south', 'east'].map((r) => `${stem}'${r}'`);
    expect(stem.length).toBeGreaterThan(210);
    const counts = [4, 5, 6];
    const lines: string[] = [];
    let t = Date.UTC(2026, 10, 20, 12);
    long.forEach((op, i) => {
      for (let k = 0; k < counts[i]; k++) lines.push(JSON.stringify({ timestamp: (t += 1000), operation: op, duration: 10 + i, success: true }));
    });
    for (let k = 0; k < 10; k++) lines.push(JSON.stringify({ timestamp: (t += 1000), operation: 'health', duration: 1, success: true }));
    fs.writeFileSync(path.join(dir, 'app.jsonl'), lines.join('\n') + '\n');
    expect(runCli(['--db', db, 'ingest', path.join(dir, 'app.jsonl')]).code).toBe(0);

    const r = runCli(['--db', db, 'analyze', '--since', '2026-11-20T12:00Z', '--until', '2026-11-20T13:00Z', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const ops = new Map<string, number>(doc.operations.map((o: { op: string; count: number }) => [o.op, o.count]));
    expect(ops.size).toBe(4);
    long.forEach((op, i) => {
      const cut = expectedCut(op);
      expect(cut).toHaveLength(200);
      expect(ops.get(cut), cut).toBe(counts[i]);
    });
    const note = doc.recommendations.find((x: { id: string }) => x.id.includes('long-op-names'));
    expect(note, JSON.stringify(doc.recommendations.map((x: { id: string }) => x.id))).toBeDefined();
    expect(note.title).toBe('3 operation names were longer than 200 characters and cut');
    expect(note.evidence[0]).toMatch(/^3 operations \(60(\.0)? ?% of the window's events\)/);

    const md = runCli(['--db', db, 'analyze', '--since', '2026-11-20T12:00Z', '--until', '2026-11-20T13:00Z', '--format', 'md', '--out', path.join(dir, 'out')]);
    expect(md.code, md.stderr).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'out', fs.readdirSync(path.join(dir, 'out'))[0]), 'utf8');
    expect(text).toContain('3 operation names were longer than 200 characters and cut');
  });
});
