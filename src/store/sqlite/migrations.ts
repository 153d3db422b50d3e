import type { Db, OpenOptions } from './open-store.js';

/**
 * Schema changes in order; `PRAGMA user_version` records how many have been applied. Append only: a released
 * migration is never edited, a change is a new entry. An entry is SQL, or a function for what SQL cannot compute
 * (such as a rollup of the raw chunks' columns, with code the writer passes in: a reader's open loads none of it).
 */
export const MIGRATIONS: Array<string | ((db: Db, opts: OpenOptions) => void)> = [
  `
  CREATE TABLE ops (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  CREATE TABLE sources (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

  -- Counts per (minute, op, source): totals, rates, throughput and resource series come from here.
  CREATE TABLE minute_stats (
    minute INTEGER NOT NULL, op_id INTEGER NOT NULL, source_id INTEGER NOT NULL,
    count INTEGER NOT NULL, ok_count INTEGER NOT NULL, error_count INTEGER NOT NULL, timeout_count INTEGER NOT NULL,
    dur_count INTEGER NOT NULL, dur_sum REAL NOT NULL, dur_min REAL, dur_max REAL,
    retries_sum REAL NOT NULL, retried_count INTEGER NOT NULL,
    mem_max REAL, mem_sum REAL NOT NULL, mem_n INTEGER NOT NULL,
    cpu_max REAL, cpu_sum REAL NOT NULL, cpu_n INTEGER NOT NULL,
    conc_max REAL, conc_sum REAL NOT NULL, conc_n INTEGER NOT NULL,
    PRIMARY KEY (minute, op_id, source_id)
  ) WITHOUT ROWID;

  -- Mergeable latency histogram per (hour, op, source); see src/aggregate/sketch.ts for the bucket mapping.
  CREATE TABLE hour_hist (
    hour INTEGER NOT NULL, op_id INTEGER NOT NULL, source_id INTEGER NOT NULL, bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (hour, op_id, source_id, bucket)
  ) WITHOUT ROWID;

  CREATE TABLE error_groups (
    hour INTEGER NOT NULL, op_id INTEGER NOT NULL, category TEXT NOT NULL, fingerprint TEXT NOT NULL,
    count INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, example TEXT NOT NULL,
    code TEXT,
    PRIMARY KEY (hour, op_id, category, fingerprint)
  ) WITHOUT ROWID;

  -- Raw events, kept for the retention period for exact percentiles and drill-down, stored column-wise in
  -- chunks of one batch, hour, op and source (src/store/event-chunks.ts has the layout and the reason).
  CREATE TABLE event_chunks (
    id INTEGER PRIMARY KEY, hour INTEGER NOT NULL, op_id INTEGER NOT NULL, source_id INTEGER NOT NULL,
    ts_min INTEGER NOT NULL, ts_max INTEGER NOT NULL, n INTEGER NOT NULL, data BLOB NOT NULL, failures TEXT
  );
  CREATE INDEX event_chunks_hour ON event_chunks (hour);

  -- One row per log stream (migration 5 replaces the head hash by the content hash of everything read).
  CREATE TABLE files (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL, dev INTEGER, ino INTEGER, size INTEGER, mtime_ms INTEGER,
    first_line_hash TEXT NOT NULL, head_len INTEGER NOT NULL, head_hash TEXT NOT NULL,
    offset INTEGER NOT NULL, line_no INTEGER NOT NULL, gzip INTEGER NOT NULL,
    format TEXT, source TEXT NOT NULL, events INTEGER NOT NULL DEFAULT 0, quarantined INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX files_first_line ON files (first_line_hash);

  CREATE TABLE quarantine (
    id INTEGER PRIMARY KEY, file TEXT NOT NULL, line INTEGER NOT NULL, byte_offset INTEGER NOT NULL,
    reason TEXT NOT NULL, snippet TEXT NOT NULL, at INTEGER NOT NULL
  );

  CREATE TABLE baselines (
    name TEXT PRIMARY KEY, created_at INTEGER NOT NULL, window_from INTEGER NOT NULL, window_to INTEGER NOT NULL,
    doc TEXT NOT NULL
  );

  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  `
  -- Shipping to a fleet store (src/ship/): per target, the last batch the target confirmed, the raw-event chunk and
  -- quarantine row it reached, the last attempt number used, and the pid of the shipper holding the target.
  CREATE TABLE shipments (
    target TEXT PRIMARY KEY, source TEXT NOT NULL, batch INTEGER NOT NULL, chunk_cursor INTEGER NOT NULL,
    quarantine_cursor INTEGER NOT NULL, attempt INTEGER NOT NULL, events INTEGER NOT NULL, lease_pid INTEGER,
    updated_at INTEGER NOT NULL
  );
  `,
  `
  -- Requests logged as several lines (a start, then a finish) that were waiting for their finish when a stream's
  -- checkpoint was committed; the state names the offset it belongs to (src/ingest/join-requests.ts).
  CREATE TABLE pending_joins (file_id INTEGER PRIMARY KEY, state TEXT NOT NULL);
  `,
  `
  -- Dimension values of the raw events (host, version, region, status … kept from the lines), per chunk; see
  -- ChunkDims in src/store/event-chunks.ts. NULL for chunks whose events carry none.
  ALTER TABLE event_chunks ADD COLUMN dims TEXT;
  -- Every value each dimension has taken, so the store can fold values past dimensions.maxValues.
  CREATE TABLE dimension_values (dim TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (dim, value)) WITHOUT ROWID;
  `,
  `
  -- File identity by content (src/core/stream-hash.ts): the chained hash of what a checkpoint read, kept at its
  -- offset (tail_hash), at the last line ends (recent_ends, JSON) and at every 64 KiB boundary (file_blocks);
  -- the first line is hashed whole. birth_ms is the file's creation time where the OS gives it (0 otherwise).
  -- tail_open: the checkpoint ends in a last line that had no newline when it was counted.
  ALTER TABLE files DROP COLUMN head_len;
  ALTER TABLE files DROP COLUMN head_hash;
  ALTER TABLE files ADD COLUMN birth_ms INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE files ADD COLUMN tail_hash TEXT;
  ALTER TABLE files ADD COLUMN recent_ends TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE files ADD COLUMN tail_open INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX files_path ON files (path);
  CREATE INDEX files_inode ON files (dev, ino);
  CREATE TABLE file_blocks (
    file_id INTEGER NOT NULL, idx INTEGER NOT NULL, hash TEXT NOT NULL,
    PRIMARY KEY (file_id, idx)
  ) WITHOUT ROWID;
  `,
  `
  -- The hour index also carries each chunk's event count, so the raw events retained (status, prune, ship) are
  -- summed from the index instead of visiting every chunk's page. id before n keeps the index in the order raw
  -- readers take chunks in (hour, then id), so reading it needs no sort.
  DROP INDEX event_chunks_hour;
  CREATE INDEX event_chunks_hour ON event_chunks (hour, id, n);
  `,
  `
  -- minute_stats summed per (hour, op, source), written in the same transaction: a window's whole hours are read
  -- from here and only its edge minutes from minute_stats. peak_count is the count of the row's busiest minute in
  -- the hour and peak_minute the first minute with that count. Ingest rebuilds a row the same way after each
  -- batch that touches it (REFRESH_HOUR in src/store/sqlite/hour-stats.ts).
  CREATE TABLE hour_stats (
    hour INTEGER NOT NULL, op_id INTEGER NOT NULL, source_id INTEGER NOT NULL,
    count INTEGER NOT NULL, ok_count INTEGER NOT NULL, error_count INTEGER NOT NULL, timeout_count INTEGER NOT NULL,
    dur_count INTEGER NOT NULL, dur_sum REAL NOT NULL, dur_min REAL, dur_max REAL,
    retries_sum REAL NOT NULL, retried_count INTEGER NOT NULL,
    mem_max REAL, mem_sum REAL NOT NULL, mem_n INTEGER NOT NULL,
    cpu_max REAL, cpu_sum REAL NOT NULL, cpu_n INTEGER NOT NULL,
    conc_max REAL, conc_sum REAL NOT NULL, conc_n INTEGER NOT NULL,
    peak_count INTEGER NOT NULL, peak_minute INTEGER NOT NULL,
    PRIMARY KEY (hour, op_id, source_id)
  ) WITHOUT ROWID;
  INSERT INTO hour_stats
    SELECT h.*, (SELECT min(m.minute) FROM minute_stats m WHERE m.minute >= h.hour AND m.minute < h.hour + 3600000
      AND m.op_id = h.op_id AND m.source_id = h.source_id AND m.count = h.peak_count)
    FROM (SELECT minute - ((minute % 3600000) + 3600000) % 3600000 AS hour, op_id, source_id,
        sum(count), sum(ok_count), sum(error_count), sum(timeout_count), sum(dur_count), sum(dur_sum),
        min(dur_min), max(dur_max), sum(retries_sum), sum(retried_count), max(mem_max), sum(mem_sum), sum(mem_n),
        max(cpu_max), sum(cpu_sum), sum(cpu_n), max(conc_max), sum(conc_sum), sum(conc_n), max(count) AS peak_count
      FROM minute_stats GROUP BY 1, 2, 3) h;
  `,
  `
  -- hour_hist summed per (UTC day, op, source), one row each with its buckets and their counts as two JSON arrays
  -- in bucket order: a window's whole days are read from here and only its edge hours from hour_hist. One row per
  -- day keeps a batch's writes few (a row per operation and day it touched, not one per bucket); ingest merges
  -- each batch's buckets into the rows (src/store/sqlite/day-hist.ts).
  CREATE TABLE day_hist (
    day INTEGER NOT NULL, op_id INTEGER NOT NULL, source_id INTEGER NOT NULL, buckets TEXT NOT NULL, counts TEXT NOT NULL,
    PRIMARY KEY (day, op_id, source_id)
  ) WITHOUT ROWID;
  INSERT INTO day_hist
    SELECT day, op_id, source_id, json_group_array(bucket), json_group_array(n)
    FROM (SELECT hour - ((hour % 86400000) + 86400000) % 86400000 AS day, op_id, source_id, bucket, sum(n) AS n
      FROM hour_hist GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4)
    GROUP BY day, op_id, source_id;
  `,
  `
  -- The hour index also carries each chunk's operation, source and time span, so that a raw read of a time range
  -- and scope picks its chunks from the index alone: a chunk's row (a page of its own, beside its blob) is visited
  -- only when the chunk is read, not to be tested and passed over.
  DROP INDEX event_chunks_hour;
  CREATE INDEX event_chunks_hour ON event_chunks (hour, id, n, op_id, source_id, ts_min, ts_max);
  `,
  `
  -- minute_stats's counts summed per minute over every operation and source, added to by ingest in the same
  -- transaction: a window of everything reads its busiest minute and its minutes with events from here (one
  -- narrow row a minute instead of a wide one per minute, operation and source).
  CREATE TABLE minute_totals (minute INTEGER PRIMARY KEY, count INTEGER NOT NULL);
  INSERT INTO minute_totals SELECT minute, sum(count) FROM minute_stats GROUP BY minute;
  `,
  (db, opts) => {
    db.exec(`
      -- The raw events' durations bucketed per (5-minute start, op, source) as hour_hist buckets them per hour: a
      -- short window's fine series reads its whole 5-minute buckets from here instead of every raw event. Each batch
      -- adds one row with its histograms as JSON ([start, op_id, source_id, buckets, counts] each) and the first and
      -- last start among them; readers sum the rows (src/store/sqlite/five-min-hist.ts). The upgrade fills a row per
      -- hour from the raw chunks still stored.
      CREATE TABLE five_min_hist (id INTEGER PRIMARY KEY, first_start INTEGER NOT NULL, last_start INTEGER NOT NULL, hists TEXT NOT NULL);
      CREATE INDEX five_min_hist_span ON five_min_hist (last_start, first_start);
    `);
    if (opts.fillFiveMinuteHist) opts.fillFiveMinuteHist(db);
    else if (db.prepare('SELECT 1 FROM event_chunks LIMIT 1').get()) throw new Error('the upgrade to five_min_hist needs the writer\'s fillFiveMinuteHist');
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
