import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { StoreError } from '../../errors.js';
import type { Columns } from './columns.js';
import { migrationStatements, MIGRATIONS, SCHEMA_VERSION, type TableDef } from './schema.js';
import { sqlString } from './sql-string.js';
import { parseTarget, type ClickHouseTarget } from './target.js';

const OFF = 127; // @clickhouse/client's log level OFF: its own error log would print URLs and settings.

/** One fleet database: the entry node's client and the few calls the store needs, each failing as a StoreError. */
export class FleetConnection {
  private constructor(
    readonly target: ClickHouseTarget,
    private readonly client: ClickHouseClient,
  ) {}

  /**
   * Connects and checks (or with `create`, creates or upgrades) the schema. `alongside` runs on the connection
   * while the schema is checked, so that a reader's first query costs no round trip of its own; its failure counts
   * only when the schema is right.
   */
  static async open(raw: string, opts: { create: boolean }, alongside?: (conn: FleetConnection) => Promise<void>): Promise<FleetConnection> {
    const target = parseTarget(raw);
    const c = new FleetConnection(target, clientFor(target, target.url));
    const early = alongside ? alongside(c).then(() => null, (e: unknown) => ({ e })) : Promise.resolve(null);
    try {
      await c.ensureSchema(opts.create);
      const failed = await early;
      if (failed) throw failed.e;
    } catch (e) {
      await early;
      await c.close();
      throw e;
    }
    return c;
  }

  /** The table to read and insert through: the Distributed one on a cluster. */
  table(name: string): string {
    return `${this.target.database}.${name}`;
  }

  async query<T>(sql: string): Promise<T[]> {
    return this.run(sql, async () => {
      const r = await this.client.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: { output_format_json_quote_64bit_integers: 0 } });
      return (await r.json()) as T[];
    });
  }

  /**
   * A query's answer column by column: one JSON document to parse (not one per row), and arrays of plain values that
   * cross to another thread far cheaper than as many row objects (a 40,000-row answer: ~10 ms instead of ~100 ms).
   */
  async queryColumns(sql: string): Promise<Columns> {
    return this.run(sql, async () => {
      const r = await this.client.query({
        query: sql, format: 'JSONCompact',
        // On a cluster a subquery of a Distributed table inside a distributed query reads each shard's own table: a
        // batch's ledger rows lie on the shard that holds its data (both are sharded by source and batch).
        clickhouse_settings: { output_format_json_quote_64bit_integers: 0, distributed_product_mode: 'local' },
      });
      const { meta, data } = (await r.json()) as { meta: Array<{ name: string }>; data: unknown[][] };
      return { names: meta.map((m) => m.name), columns: meta.map((_, i) => data.map((row) => row[i])) };
    });
  }

  async command(sql: string): Promise<void> {
    await this.run(sql, () => this.client.command({ query: sql }));
  }

  /** Sends rows as TabSeparated in the table's column order; on a cluster, returns once every shard has them. */
  async insert(table: TableDef, rows: Iterable<readonly unknown[]>): Promise<void> {
    const sql = `INSERT INTO ${this.table(table.name)}`;
    await this.run(sql, () =>
      this.client.insert({
        table: this.table(table.name),
        columns: table.columns.map(([n]) => n) as [string, ...string[]],
        values: Readable.from(tsvChunks(rows), { objectMode: false }),
        format: 'TabSeparated',
        ...this.insertSettings(),
      }),
    );
  }

  /** Sends rows already encoded in RowBinary (all columns in the table's column order), as `insert` does. */
  async insertRowBinary(table: TableDef, body: Iterable<Uint8Array>): Promise<void> {
    const sql = `INSERT INTO ${this.table(table.name)} (${table.columns.map(([n]) => n).join(', ')}) FORMAT RowBinary`;
    await this.run(sql, async () => {
      const r = await this.client.exec({ query: sql, values: Readable.from(body, { objectMode: false }), ...this.insertSettings() });
      r.stream.resume();
      await finished(r.stream);
    });
  }

  /** On a cluster, an insert returns once every shard has its rows. */
  private insertSettings(): { clickhouse_settings?: ClickHouseSettings } {
    return this.target.cluster ? { clickhouse_settings: { insert_distributed_sync: 1 as const } } : {};
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * Runs `fn` on every node that holds the store's rows (the entry node alone without a cluster), with the name
   * its rows are stored under there (`events_local` on a cluster's shard, `events` on a single server).
   */
  async onEveryNode<T>(fn: (node: FleetConnection, local: (table: string) => string) => Promise<T>): Promise<T[]> {
    const local = (t: string) => `${this.target.database}.${this.target.cluster ? `${t}_local` : t}`;
    const out: T[] = [];
    for (const node of await this.nodes()) {
      try {
        out.push(await fn(node, local));
      } finally {
        if (node !== this) await node.close();
      }
    }
    return out;
  }

  /** Bytes the store's tables take on disk, over every node. */
  async bytesOnDisk(): Promise<number> {
    const db = sqlString(this.target.database);
    const sums = await this.onEveryNode(async (node) => (await node.query<{ b: number }>(`SELECT sum(bytes_on_disk) AS b FROM system.parts WHERE database = ${db} AND active`))[0]?.b ?? 0);
    return sums.reduce((a, b) => a + Number(b), 0);
  }

  /** Drops the partitions of a table partitioned by day (toYYYYMMDD) that lie before `day` (YYYYMMDD), on every node. */
  async dropDaysBefore(table: string, day: number): Promise<void> {
    await this.onEveryNode(async (node, local) => {
      const name = local(table);
      const [database, bare] = name.split('.');
      const parts = await node.query<{ p: string }>(`SELECT DISTINCT partition AS p FROM system.parts WHERE database = ${sqlString(database)} AND table = ${sqlString(bare)} AND active`);
      for (const { p } of parts) {
        if (!(Number(p) < day)) continue;
        const sql = `ALTER TABLE ${name} DROP PARTITION ${Number(p)}`;
        await node.command(sql);
      }
    });
  }

  /** Merges each table's parts into as few as possible, on every node (OPTIMIZE … FINAL). */
  async optimize(tables: readonly string[]): Promise<void> {
    await this.onEveryNode(async (node, local) => {
      for (const t of tables) await node.command(`OPTIMIZE TABLE ${local(t)} FINAL`);
    });
  }

  private async ensureSchema(create: boolean): Promise<void> {
    const { database } = this.target;
    const version = await this.schemaVersion();
    if (version > SCHEMA_VERSION) {
      throw new StoreError(`${this.target.display} has oplens schema version ${version}, newer than this oplens understands (${SCHEMA_VERSION})`, 'upgrade oplens');
    }
    if (version === SCHEMA_VERSION) return;
    if (!create) {
      throw new StoreError(
        version === 0 ? `${this.target.display} holds no oplens data` : `${this.target.display} needs a schema upgrade`,
        version === 0 ? 'ship to it first: oplens ship --to URL' : 'run oplens ship --to URL once with this version',
      );
    }
    // Shard by shard: CREATE … ON CLUSTER would need ZooKeeper. Every node gets the local and the Distributed
    // tables, so any of them can be the entry node.
    for (const node of await this.nodes()) {
      await node.run('CREATE DATABASE', () => node.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` }));
      await node.run('CREATE TABLE', () => node.client.command({ query: `CREATE TABLE IF NOT EXISTS ${database}.schema_version (version UInt32, at Int64) ENGINE = MergeTree ORDER BY version` }));
      for (let v = version; v < SCHEMA_VERSION; v++) {
        const has = await node.columns();
        const stmts = migrationStatements(database, MIGRATIONS[v], this.target.cluster, (t, c) => has.has(`${t}.${c}`));
        for (const stmt of stmts) await node.run(stmt, () => node.client.command({ query: stmt }));
        const mark = `INSERT INTO ${database}.schema_version VALUES (${v + 1}, ${Date.now()})`;
        await node.run(mark, () => node.client.command({ query: mark }));
      }
      if (node !== this) await node.close();
    }
  }

  /** `table.column` of every column this node has in the database. */
  private async columns(): Promise<Set<string>> {
    const rows = await this.query<{ c: string }>(`SELECT concat(table, '.', name) AS c FROM system.columns WHERE database = ${sqlString(this.target.database)}`);
    return new Set(rows.map((r) => r.c));
  }

  /** The database's schema version, 0 when it has none: one round trip, as every command that reads a fleet pays it. */
  private async schemaVersion(): Promise<number> {
    const sql = `SELECT max(version) AS v FROM ${this.target.database}.schema_version`;
    return this.run(sql, async () => {
      try {
        const r = await this.client.query({ query: sql, format: 'JSONEachRow' });
        return Number(((await r.json()) as Array<{ v: number }>)[0]?.v ?? 0);
      } catch (e) {
        if (isMissing(e)) return 0;
        throw e;
      }
    });
  }

  /** The entry node alone, or every shard of the cluster (from ?shards= or system.clusters). */
  private async nodes(): Promise<FleetConnection[]> {
    const { cluster, shards } = this.target;
    if (!cluster) return [this];
    let urls = shards;
    if (!urls) {
      const rows = await this.query<{ host: string }>(`SELECT host_address AS host FROM system.clusters WHERE cluster = ${sqlString(cluster)} ORDER BY shard_num, replica_num`);
      const entry = new URL(this.target.url);
      urls = rows.map((r) => `${entry.protocol}//${r.host.includes(':') ? `[${r.host}]` : r.host}:${entry.port}`);
    }
    if (!urls.length) throw new StoreError(`cluster ${cluster} is not defined on ${this.target.display}`, 'check remote_servers in the server config, or the ?cluster= name');
    return urls.map((u) => (u === this.target.url ? this : new FleetConnection({ ...this.target, url: u }, clientFor(this.target, u))));
  }

  /** Runs one call; any failure becomes a StoreError naming the target and never its credentials. */
  private async run<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      throw fleetError(e, this.target, what);
    }
  }
}

function clientFor(t: ClickHouseTarget, url: string): ClickHouseClient {
  return createClient({
    url, username: t.username, password: t.password, log: { level: OFF },
    request_timeout: 300_000, max_open_connections: 4, compression: { request: false, response: true },
    // A socket idle past the server's keep-alive timeout (3 s by default) is closed there; while a batch is encoded
    // the client's own idle timers can fire late, so each request checks the pooled sockets' age itself.
    keep_alive: { eagerly_destroy_stale_sockets: true },
  });
}

/** The error of a table or database that does not exist (UNKNOWN_TABLE, UNKNOWN_DATABASE). */
function isMissing(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err.code === '60' || err.code === '81' || /\bCode: (60|81)\b/.test(String(err.message ?? ''));
}

/** What went wrong, in one line without credentials, with a hint for the common cases. */
export function fleetError(e: unknown, t: ClickHouseTarget, what: string): StoreError {
  if (e instanceof StoreError) return e;
  const err = e as { code?: string; message?: string };
  let msg = String(err.message ?? e).split('\n')[0].replace(/, e\.what\(\) = .*$/, '');
  if (t.password) msg = msg.split(t.password).join('***');
  const net = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN'];
  if ((err.code && net.includes(err.code)) || /socket hang up|Timeout error|ECONNRESET/.test(msg)) {
    return new StoreError(`cannot reach ClickHouse at ${t.display} (${err.code ?? msg})`, 'check that the server runs and the host and port are right');
  }
  if (/Code: (192|193|516)\b|Authentication failed|password/i.test(msg)) {
    return new StoreError(`ClickHouse at ${t.display} refused the credentials`, 'check OPLENS_CLICKHOUSE_USER / OPLENS_CLICKHOUSE_PASSWORD or the user in the URL');
  }
  return new StoreError(`ClickHouse at ${t.display}: ${msg}`, `while running: ${what.slice(0, 120)}`);
}

/** Rows as TabSeparated text in chunks of about 1 MB. */
function* tsvChunks(rows: Iterable<readonly unknown[]>): Generator<string> {
  let buf = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (i) buf += '\t';
      buf += tsvValue(row[i]);
    }
    buf += '\n';
    if (buf.length > 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/** One value as a TabSeparated field: \\N for null, escaped text, an array as a literal. */
export function tsvValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '\\N';
  if (typeof v === 'boolean') return v ? '1' : '0';
  // An array is written as a literal: [1,2] or ['a','b'], its strings quoted and escaped as in SQL.
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'number' ? String(x) : quotedTsv(String(x)))).join(',')}]`;
  return escape(String(v), TSV);
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0', "'": "\\'" };
const TSV = /[\\\t\n\r\0]/g;
const QUOTED = /[\\\t\n\r\0']/g;

/** A string as an element of an array literal in a TabSeparated field: quoted and escaped. */
export function quotedTsv(s: string): string {
  return `'${escape(s, QUOTED)}'`;
}

function escape(s: string, chars: RegExp): string {
  return s.replace(chars, (c) => ESCAPES[c]);
}
