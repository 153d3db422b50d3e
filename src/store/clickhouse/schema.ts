/**
 * The fleet schema on ClickHouse (docs/clickhouse.md). Every data table carries `source` (the shipping host),
 * `batch` and `attempt`: rows of a batch attempt listed in `voided` never count (ship protocol in
 * src/store/clickhouse/shipment-writer.ts). Only SQL that ClickHouse 18.16 and current releases both accept: plain
 * MergeTree, Nullable, Int64 epoch-ms times, no LowCardinality, no TTL.
 *
 * Append only: a released version is never edited; a change is a new entry in MIGRATIONS (new tables, or columns
 * added to existing ones).
 */
export interface TableDef {
  name: string;
  columns: ReadonlyArray<readonly [string, string]>;
  /** PARTITION BY expression, or null for one partition. */
  partition: string | null;
  orderBy: string;
}

const SHIPPED = [['source', 'String'], ['batch', 'UInt64'], ['attempt', 'UInt64']] as const;
/** The summed, minimum and maximum columns of minute_stats and hour_stats, in table order. */
export const STAT_COLUMNS = [
  ['count', 'UInt64'], ['ok_count', 'UInt64'], ['error_count', 'UInt64'], ['timeout_count', 'UInt64'],
  ['dur_count', 'UInt64'], ['dur_sum', 'Float64'], ['dur_min', 'Nullable(Float64)'], ['dur_max', 'Nullable(Float64)'],
  ['retries_sum', 'Float64'], ['retried_count', 'UInt64'],
  ['mem_max', 'Nullable(Float64)'], ['mem_sum', 'Float64'], ['mem_n', 'UInt64'],
  ['cpu_max', 'Nullable(Float64)'], ['cpu_sum', 'Float64'], ['cpu_n', 'UInt64'],
  ['conc_max', 'Nullable(Float64)'], ['conc_sum', 'Float64'], ['conc_n', 'UInt64'],
] as const;
const day = (col: string) => `toYYYYMMDD(toDateTime(intDiv(${col}, 1000)))`;
const month = (col: string) => `toYYYYMM(toDateTime(intDiv(${col}, 1000)))`;

/** Tables of schema version 1. Columns are in the order rows are sent in. */
const V1: TableDef[] = [
  {
    name: 'events',
    columns: [
      ['op', 'String'], ['ts', 'Int64'], ['duration', 'Nullable(Float64)'], ['ok', 'UInt8'], ['timeout', 'UInt8'],
      ['concurrency', 'Nullable(Float64)'], ['memory_mb', 'Nullable(Float64)'], ['cpu_percent', 'Nullable(Float64)'], ['retries', 'Nullable(Float64)'],
      ['error_category', 'Nullable(String)'], ['error_code', 'Nullable(String)'], ['error_message', 'Nullable(String)'],
      // The host's own source label (file or service name), kept for the record; `source` is the host.
      ['stream', 'String'],
      ...SHIPPED,
    ],
    partition: day('ts'),
    // Time first: a window's raw reads (concurrency sample, slowest events, exact edges) read only its granules. The
    // order is physical only (no read depends on it), so a fleet created with the former (source, batch, op, ts)
    // keeps it and answers the same.
    orderBy: '(ts, op)',
  },
  {
    name: 'minute_stats',
    columns: [
      ['op', 'String'], ['minute', 'Int64'], ...STAT_COLUMNS,
      ...SHIPPED,
    ],
    partition: month('minute'),
    orderBy: '(source, batch, op, minute)',
  },
  {
    name: 'hour_hist',
    columns: [['op', 'String'], ['hour', 'Int64'], ['bucket', 'Int32'], ['n', 'UInt64'], ...SHIPPED],
    partition: month('hour'),
    orderBy: '(source, batch, op, hour, bucket)',
  },
  {
    name: 'error_groups',
    columns: [
      ['op', 'String'], ['hour', 'Int64'], ['category', 'String'], ['fingerprint', 'String'], ['count', 'UInt64'],
      ['first_seen', 'Int64'], ['last_seen', 'Int64'], ['example', 'String'], ['code', 'Nullable(String)'],
      ...SHIPPED,
    ],
    partition: month('hour'),
    orderBy: '(source, batch, op, hour)',
  },
  {
    name: 'quarantine',
    columns: [['file', 'String'], ['line', 'UInt64'], ['byte_offset', 'UInt64'], ['reason', 'String'], ['snippet', 'String'], ['at', 'Int64'], ...SHIPPED],
    partition: null,
    orderBy: '(source, batch)',
  },
  {
    // Two rows per batch attempt: 'started' before its data is sent, 'done' after all of it was accepted.
    name: 'shipments',
    columns: [
      ['source', 'String'], ['batch', 'UInt64'], ['attempt', 'UInt64'], ['state', 'String'],
      ['chunk_to', 'Int64'], ['quarantine_to', 'Int64'], ['events', 'UInt64'], ['last_ingest', 'Nullable(Int64)'], ['at', 'Int64'],
    ],
    partition: null,
    orderBy: '(source, batch)',
  },
  {
    // Attempts whose rows must not count: written before a batch is sent again after an attempt that may have
    // left part of its rows behind.
    name: 'voided',
    columns: [['source', 'String'], ['batch', 'UInt64'], ['attempt', 'UInt64']],
    partition: null,
    orderBy: '(source, batch)',
  },
  {
    // Named baselines; the newest row per name wins, a row with deleted = 1 removes it.
    name: 'baselines',
    columns: [['name', 'String'], ['created_at', 'Int64'], ['window_from', 'Int64'], ['window_to', 'Int64'], ['doc', 'String'], ['deleted', 'UInt8'], ['version', 'Int64']],
    partition: null,
    orderBy: '(name, version)',
  },
];

type Column = readonly [string, string];

/** One schema version: tables it creates and columns it adds to earlier tables. */
export interface Migration {
  tables: TableDef[];
  columns: Array<{ table: string; add: Column[] }>;
}

/** Version 2: raw events' dimensions; each batch's folded-name counters and the instant its raw events start. */
const V2: Migration = {
  tables: [],
  columns: [
    // The dimension values kept from the line (host, version, region …), as parallel name and value arrays.
    { table: 'events', add: [['dim_keys', 'Array(String)'], ['dim_values', 'Array(String)']] },
    {
      table: 'shipments',
      add: [
        // The shipping store's counters of names folded past its caps (folded_ops, folded_values:DIM …), as of the batch.
        ['folded_keys', 'Array(String)'], ['folded_counts', 'Array(UInt64)'],
        // A store pruned before its first shipment ships its older hours as rollups only: its raw events start at
        // raw_from, and chunks up to raw_only_to that lie before it ship as raw events without rollups.
        ['raw_from', 'Nullable(Int64)'], ['raw_only_to', 'Int64'],
      ],
    },
  ],
};

/** Version 3: `oplens prune` on the fleet records where raw events now start. */
const V3: Migration = {
  tables: [{ name: 'raw_pruned', columns: [['before', 'Int64'], ['at', 'Int64']], partition: null, orderBy: 'before' }],
  columns: [],
};

/**
 * Version 4: hour rollups, so that a window's whole hours are read as one row per (hour, op) of a batch instead of up
 * to sixty minute rows. A batch attempt ships its hour_stats rows when its ledger rows say hour_rows = 1; an attempt
 * shipped before (hour_rows = 0, as the added column reads on older rows) has none, and readers derive its hour rows
 * from its minute rows (clickhouse-queries.ts), so an upgraded fleet needs no backfill and every attempt counts once.
 */
const V4: Migration = {
  tables: [{
    name: 'hour_stats',
    columns: [
      ['op', 'String'], ['hour', 'Int64'], ...STAT_COLUMNS,
      // The attempt's busiest minute of the hour (the earliest of equally busy ones) and its count.
      ['peak_count', 'UInt64'], ['peak_minute', 'Int64'],
      ...SHIPPED,
    ],
    partition: month('hour'),
    orderBy: '(source, batch, op, hour)',
  }],
  columns: [{ table: 'shipments', add: [['hour_rows', 'UInt8']] }],
};

export const MIGRATIONS: Migration[] = [{ tables: V1, columns: [] }, V2, V3, V4];
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Every table of the current schema by name, its columns in the order rows are sent in: added columns go before
 * the trailing source, batch, attempt that every shipped row ends with.
 */
export const TABLES: ReadonlyMap<string, TableDef> = currentTables();

function currentTables(): Map<string, TableDef> {
  const out = new Map<string, TableDef>();
  for (const m of MIGRATIONS) {
    for (const t of m.tables) out.set(t.name, t);
    for (const { table, add } of m.columns) {
      const t = out.get(table)!;
      const tail = t.columns.slice(-SHIPPED.length).every(([n], i) => n === SHIPPED[i][0]) ? SHIPPED.length : 0;
      out.set(table, { ...t, columns: [...t.columns.slice(0, t.columns.length - tail), ...add, ...t.columns.slice(t.columns.length - tail)] });
    }
  }
  return out;
}

export function tableDef(name: string): TableDef {
  const t = TABLES.get(name);
  if (!t) throw new Error(`no ClickHouse table ${name}`);
  return t;
}

/**
 * The statements of one migration for one node: CREATE for its tables (the tables themselves, or local tables plus
 * Distributed tables over them), ALTER … ADD COLUMN for its columns (on both, on a cluster). `has` tells the columns
 * a table already has, so a migration interrupted half-way is finished by the next run (18.16 has no ADD COLUMN IF
 * NOT EXISTS).
 */
export function migrationStatements(db: string, m: Migration, cluster: string | null, has: (table: string, column: string) => boolean): string[] {
  const out = createStatements(db, m.tables, cluster);
  for (const { table, add } of m.columns) {
    for (const name of cluster ? [`${table}_local`, table] : [table]) {
      for (const [col, type] of add) if (!has(name, col)) out.push(`ALTER TABLE ${db}.${name} ADD COLUMN ${col} ${type}`);
    }
  }
  return out;
}

function createStatements(db: string, tables: readonly TableDef[], cluster: string | null): string[] {
  const out: string[] = [];
  for (const t of tables) {
    const cols = t.columns.map(([n, type]) => `${n} ${type}`).join(', ');
    const local = cluster ? `${t.name}_local` : t.name;
    out.push(`CREATE TABLE IF NOT EXISTS ${db}.${local} (${cols}) ENGINE = MergeTree${t.partition ? ` PARTITION BY ${t.partition}` : ''} ORDER BY ${t.orderBy}`);
    if (cluster) {
      const key = t.columns.some(([n]) => n === 'batch') ? 'cityHash64(source, batch)' : t.columns.some(([n]) => n === 'name') ? 'cityHash64(name)' : 'rand()';
      out.push(`CREATE TABLE IF NOT EXISTS ${db}.${t.name} AS ${db}.${local} ENGINE = Distributed(${cluster}, ${db}, ${local}, ${key})`);
    }
  }
  return out;
}
