import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/**
 * The folders of src/ in the order data flows through them, lowest first: a module may import from its own folder
 * and from the folders before it, never from one after it. `errors.ts` (the error classes) and core (event and
 * time types) are shared by all; display formats values for people; ingest reads, decodes and normalizes lines;
 * aggregate rolls events up; store keeps them; pipeline drives ingest → aggregate → store (ingest, watch) and ship
 * sends a store on to the fleet; analysis reads a store; config assembles every stage's settings; report renders an
 * analysis; cli parses flags and wires it all; api.ts, the library's entry point, offers the same as the CLI.
 */
const FLOW = ['errors.ts', 'core', 'display', 'ingest', 'aggregate', 'store', 'pipeline', 'ship', 'analysis', 'config', 'report', 'cli', 'api.ts'];

/** The only modules outside src/store that may open the SQLite store: the CLI's one opener. */
const SQLITE_OPENERS = ['cli/open-db.ts'];

const SRC = path.join(ROOT, 'src');

interface Edge {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every import, re-export and dynamic import of every module in src/, as paths relative to src/. */
function importEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) {
      const spec = m[1];
      const to = spec.startsWith('.') ? path.relative(SRC, path.resolve(path.dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
      edges.push({ from: path.relative(SRC, file), to });
    }
  }
  return edges;
}

const folderOf = (rel: string) => rel.split('/')[0];
const isLocal = (rel: string) => !rel.startsWith('..') && fs.existsSync(path.join(SRC, rel));

describe('the import graph of src/', () => {
  const edges = importEdges();
  const local = edges.filter((e) => isLocal(e.to));

  it('is read from the sources (a relative import that resolves to nothing is a mistake in this reader)', () => {
    expect(local.length).toBeGreaterThan(500);
    expect(edges.filter((e) => e.to.startsWith('.') || (e.to.endsWith('.ts') && !isLocal(e.to)))).toEqual([]);
  });

  it('places every folder of src/ in the flow', () => {
    const folders = fs.readdirSync(SRC).filter((n) => n.endsWith('.ts') || fs.statSync(path.join(SRC, n)).isDirectory());
    expect(folders.filter((f) => !FLOW.includes(f))).toEqual([]);
  });

  it('has no import against the flow', () => {
    const against = local.filter((e) => FLOW.indexOf(folderOf(e.to)) > FLOW.indexOf(folderOf(e.from)));
    expect(against.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const next = new Map<string, Set<string>>();
    for (const e of local) {
      const [a, b] = [folderOf(e.from), folderOf(e.to)];
      if (a !== b) next.set(a, (next.get(a) ?? new Set()).add(b));
    }
    const reaches = (from: string, target: string, seen = new Set<string>()): boolean =>
      [...(next.get(from) ?? [])].some((n) => n === target || (!seen.has(n) && (seen.add(n), reaches(n, target, seen))));
    expect([...next.keys()].filter((f) => reaches(f, f))).toEqual([]);
  });

  it('opens the SQLite store only inside src/store and in the CLI\'s one opener', () => {
    const outside = local.filter((e) => e.to.startsWith('store/sqlite/') && folderOf(e.from) !== 'store' && !SQLITE_OPENERS.includes(e.from));
    expect(outside.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
    const driver = edges.filter((e) => e.to === 'better-sqlite3' && !e.from.startsWith('store/sqlite/'));
    expect(driver.map((e) => e.from)).toEqual([]);
  });
});
