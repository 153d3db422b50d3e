import fs from 'node:fs';
import { MINUTE_MS } from '../../core/time.js';
import type { StoreStatus } from '../store.js';
import { SqliteCheckpoints } from './sqlite-checkpoints.js';
import type { Db } from './open-store.js';

export function readStatus(db: Db, dbPath: string): StoreStatus {
  const totals = db.prepare('SELECT coalesce(sum(count),0) AS n, min(minute) AS lo, max(minute) AS hi FROM minute_stats').get() as { n: number; lo: number | null; hi: number | null };
  const bytes = ['', '-wal'].reduce((s, suffix) => s + (fs.existsSync(dbPath + suffix) ? fs.statSync(dbPath + suffix).size : 0), 0);
  return {
    db: { path: dbPath, bytes, schemaVersion: db.pragma('user_version', { simple: true }) as number },
    events: totals.n,
    rawEvents: (db.prepare('SELECT coalesce(sum(n), 0) FROM event_chunks').pluck().get() as number) ?? 0,
    range: totals.lo === null ? null : { from: totals.lo, to: (totals.hi as number) + MINUTE_MS },
    sources: db.prepare(`SELECT s.name, sum(m.count) AS events FROM minute_stats m JOIN sources s ON s.id = m.source_id
      GROUP BY s.name ORDER BY events DESC`).all() as StoreStatus['sources'],
    operations: db.prepare('SELECT count(DISTINCT op_id) FROM minute_stats').pluck().get() as number,
    quarantined: db.prepare('SELECT count(*) FROM quarantine').pluck().get() as number,
    quarantineReasons: db.prepare('SELECT reason, count(*) AS count FROM quarantine GROUP BY reason ORDER BY count DESC').all() as StoreStatus['quarantineReasons'],
    files: new SqliteCheckpoints(db).list(),
  };
}
