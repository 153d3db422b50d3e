import { DAY_MS } from '../../core/time.js';
import { DamagedStoreError } from '../../errors.js';
import { CHUNK_DAMAGE_HINT, decodeStoredChunk, type StoredChunk } from '../event-chunks.js';
import type { IntegrityReport } from '../store.js';
import type { Db } from './open-store.js';
import { STORED_CHUNK } from './raw-events.js';

/** At most this many problems are collected: enough to say where the damage is, bounded for a wrecked file. */
const MAX_PROBLEMS = 100;

const DAMAGE_HINT =
  '`oplens status --check` lists the damage; restore the database from a backup, or move it aside and ingest the logs again into a new one';

/**
 * SQLite's own check of every page: `quick` (PRAGMA quick_check: b-tree structure and record formats, linear in
 * the file's size) for the check at open, the full PRAGMA integrity_check (indexes against their tables too) for
 * `status --check`. Returns the problems found, none when the file is whole.
 */
export function integrityProblems(db: Db, quick: boolean): string[] {
  const problems: string[] = [];
  try {
    // Rows one by one: on some damage SQLite reports the problems, then ends the statement with SQLITE_CORRUPT.
    for (const v of db.prepare(`PRAGMA ${quick ? 'quick_check' : 'integrity_check'}(${MAX_PROBLEMS})`).pluck().iterate()) problems.push(String(v));
  } catch (e) {
    if (!String((e as { code?: unknown }).code).startsWith('SQLITE_CORRUPT')) throw e;
    if (problems.length === 0) problems.push((e as Error).message);
  }
  if (problems.length === 1 && problems[0] === 'ok') return [];
  return readable(db, problems);
}

/** One problem a line, without SQLite's `*** in database main ***` headings, with tables named (`Tree 6` is a root page). */
function readable(db: Db, problems: string[]): string[] {
  let tables = new Map<number, string>();
  try {
    const rows = db.prepare('SELECT rootpage, name FROM sqlite_schema WHERE rootpage > 0').all() as Array<{ rootpage: number; name: string }>;
    tables = new Map(rows.map((r) => [r.rootpage, r.name]));
  } catch {
    /* the schema itself is damaged: pages keep their numbers */
  }
  return problems
    .flatMap((p) => p.split('\n'))
    .filter((p) => p && !/^\*\*\* in database \w+ \*\*\*$/.test(p))
    .map((p) => p.replace(/^Tree (\d+) /, (t, root: string) => (tables.has(Number(root)) ? `table ${tables.get(Number(root))} (tree ${root}) ` : t)));
}

/** Stores up to this size are checked at every writer's open (about 0.15 s); larger ones once a day. */
export const CHECK_EVERY_OPEN_BYTES = 64 << 20;
/** How long a larger store's last clean check is trusted. */
export const CHECK_INTERVAL_MS = DAY_MS;

/**
 * Whether a writer checks the pages at open. quick_check reads the whole file (about 1.3 s at 10M events), so on
 * every open it would cost a cron ingest or a refresh more than the work itself: a large store is checked when
 * its last clean check is a day old. Damage a writer meets in the pages it touches fails at once either way.
 */
function needsPageCheck(sizeBytes: number, lastCheckedMs: number | undefined, nowMs: number): boolean {
  if (sizeBytes <= CHECK_EVERY_OPEN_BYTES || lastCheckedMs === undefined) return true;
  return !(nowMs >= lastCheckedMs && nowMs - lastCheckedMs < CHECK_INTERVAL_MS);
}

/** The check writers run at open: a cron `ingest` must fail on a damaged store, not add to it and exit 0. */
export function assertWhole(db: Db, dbPath: string, sizeBytes: number, nowMs = Date.now()): void {
  const last = db.prepare("SELECT value FROM meta WHERE key = 'pages_checked_at'").pluck().get() as string | undefined;
  if (!needsPageCheck(sizeBytes, last === undefined ? undefined : Number(last), nowMs)) return;
  const problems = integrityProblems(db, true);
  if (problems.length) throw damaged(dbPath, problems);
  // Recorded at any size: a store that grows past the threshold in this run (a first ingest of a large log) was
  // checked at its open like any other, and its next refresh within the day need not reread it.
  recordCheck(db, nowMs);
}

/** Remembers a clean check; another writer holding the lock only means the next open checks again. */
function recordCheck(db: Db, nowMs: number): void {
  try {
    db.prepare("INSERT INTO meta (key, value) VALUES ('pages_checked_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(nowMs));
  } catch (e) {
    if (!String((e as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw e;
  }
}

export function damaged(dbPath: string, problems: string[]): DamagedStoreError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new DamagedStoreError(`database ${dbPath} is damaged: ${problems[0]}${more}`, DAMAGE_HINT);
}

/** The full check: every page (integrity_check), then, when the pages are sound, every raw-event chunk. */
export function checkIntegrity(db: Db): IntegrityReport {
  const pages = integrityProblems(db, false);
  if (pages.length) return { ok: false, pages, chunks: [], hint: DAMAGE_HINT };
  const chunks = damagedChunks(db);
  return chunks.length ? { ok: false, pages, chunks, hint: CHUNK_DAMAGE_HINT } : { ok: true, pages, chunks };
}

/** Decodes every raw-event chunk (what SQLite cannot check: the bytes inside a blob); at most MAX_PROBLEMS. */
function damagedChunks(db: Db): IntegrityReport['chunks'] {
  const out: IntegrityReport['chunks'] = [];
  for (const row of db.prepare(`SELECT ${STORED_CHUNK} ORDER BY c.id`).iterate() as Iterable<StoredChunk>) {
    try {
      decodeStoredChunk(row);
    } catch (e) {
      if (!(e instanceof DamagedStoreError)) throw e;
      out.push({ id: row.id, message: e.message });
      if (out.length >= MAX_PROBLEMS) break;
    }
  }
  return out;
}
