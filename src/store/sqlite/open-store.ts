import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DamagedStoreError, StoreError } from '../../errors.js';
import { isClickHouseUrl, redact } from '../clickhouse/target.js';
import { assertWhole, damaged } from './integrity.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export type Db = Database.Database;

/**
 * better-sqlite3's compiled addon, passed to its constructor: otherwise better-sqlite3 finds it through the
 * `bindings` package, which tries a dozen paths relative to the caller it reads from the call stack (a process's
 * first open paid for that, and from the CLI's bundle it would look beside the bundle).
 */
const ADDON = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');

export interface OpenOptions {
  readonly?: boolean;
  /** How an upgrade fills five_min_hist from the raw chunks (five-min-hist.ts): given by the writer, so that a reader's open loads no rollup code. */
  fillFiveMinuteHist?: (db: Db) => void;
}

/**
 * Time a command waits for another process's write transaction before giving up (watch + analyze, two ingests);
 * OPLENS_BUSY_TIMEOUT_MS overrides it.
 */
function busyTimeoutMs(): number {
  const v = Number(process.env.OPLENS_BUSY_TIMEOUT_MS);
  return Number.isFinite(v) && v >= 0 ? v : 15_000;
}

/**
 * Opens (and for writers creates and migrates) the store. Every failure becomes one StoreError line: a missing
 * database for a reader, a file that is not SQLite, a newer schema, a read-only or locked path.
 */
export function openDatabase(dbPath: string, opts: OpenOptions = {}): Db {
  if (isClickHouseUrl(dbPath)) {
    throw new StoreError(
      `${redact(dbPath)} is a fleet store: this command works on a local store`,
      'pass --db FILE; hosts send their local store to the fleet with `oplens ship --to URL`',
    );
  }
  const resolved = path.resolve(dbPath);
  if (opts.readonly && !fs.existsSync(resolved)) {
    throw new StoreError(`database ${dbPath} does not exist`, 'run `oplens ingest PATH` first, or pass --db');
  }
  if (!opts.readonly) {
    const dir = path.dirname(resolved);
    if (!fs.existsSync(dir)) throw new StoreError(`database directory ${dir} does not exist`, 'create it or pass another --db');
  }
  let db: Db;
  try {
    db = new Database(resolved, { readonly: !!opts.readonly, fileMustExist: !!opts.readonly, nativeBinding: ADDON });
  } catch (e) {
    throw storeError(e, dbPath);
  }
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs()}`);
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      // WAL with synchronous=NORMAL keeps every committed transaction across a process crash or kill;
      // only a power loss can take back the last ones.
      db.pragma('synchronous = NORMAL');
      db.pragma('wal_autocheckpoint = 10000');
    }
    db.pragma('cache_size = -16384');
    db.pragma('temp_store = MEMORY');
    migrate(db, dbPath, opts);
    // Readers fail where they meet damage; a writer might not meet it and would exit 0 on a broken store.
    if (!opts.readonly) assertWhole(db, dbPath, fs.statSync(resolved).size);
  } catch (e) {
    db.close();
    throw storeError(e, dbPath);
  }
  return db;
}

function migrate(db: Db, dbPath: string, opts: OpenOptions): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      `database ${dbPath} has schema version ${version}, newer than this oplens understands (${SCHEMA_VERSION})`,
      'upgrade oplens or use another --db',
    );
  }
  if (version === SCHEMA_VERSION) return;
  if (opts.readonly) {
    throw new StoreError(`database ${dbPath} needs a schema upgrade`, 'run any writing command (oplens ingest) once');
  }
  db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const v = db.pragma('user_version', { simple: true }) as number;
    for (const m of MIGRATIONS.slice(v)) {
      if (typeof m === 'string') db.exec(m);
      else m(db, opts);
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

export function storeError(e: unknown, dbPath: string): Error {
  if (e instanceof StoreError || e instanceof DamagedStoreError) return e;
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  const msg = err.message ?? String(e);
  // An SQLite file with damaged pages (the header is fine, some b-tree is not).
  if (code.startsWith('SQLITE_CORRUPT') || /malformed/i.test(msg)) return damaged(dbPath, [msg]);
  if (code === 'SQLITE_NOTADB' || /not a database/i.test(msg)) {
    return new StoreError(`database ${dbPath} is corrupt or not an oplens database`, 'move it aside and ingest again, or pass another --db');
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || /readonly|unable to open/i.test(msg)) {
    return new StoreError(`database ${dbPath} cannot be opened for writing (${code || msg})`, 'check the path and its permissions, or pass another --db');
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(`database ${dbPath} is locked by another process`, 'wait for the other oplens to finish, or pass another --db');
  }
  if (code.startsWith('SQLITE_FULL') || code.startsWith('SQLITE_IOERR') || /disk|full/i.test(msg)) {
    return new StoreError(`database ${dbPath}: ${msg}`, 'free disk space and run the command again; what was committed is intact and resumes');
  }
  return e instanceof Error ? e : new Error(msg);
}

