import { UsageError } from '../../errors.js';

/**
 * Where a fleet store lives: `clickhouse://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE[?cluster=NAME&shards=H:P,H:P]`.
 * `clickhouse://` and `http://` speak HTTP (port 8123 by default), `clickhouses://` and `https://` speak HTTPS
 * (8443). Credentials come from the URL or OPLENS_CLICKHOUSE_USER / OPLENS_CLICKHOUSE_PASSWORD and never appear
 * in `display`, which is the only form of the target that is printed or recorded.
 */
export interface ClickHouseTarget {
  /** Base URL of the entry node's HTTP interface, without credentials or path. */
  url: string;
  database: string;
  username: string;
  password: string;
  /** Cluster name from `remote_servers`: local tables on every shard, Distributed tables over them. */
  cluster: string | null;
  /** HTTP endpoints of the shards (`?shards=`); by default the cluster's hosts on the entry node's port. */
  shards: string[] | null;
  /** The target without credentials: `clickhouse://host:8123/db?cluster=c`. */
  display: string;
}

const SCHEMES: Record<string, { http: 'http' | 'https'; port: number }> = {
  'clickhouse:': { http: 'http', port: 8123 },
  'http:': { http: 'http', port: 8123 },
  'clickhouses:': { http: 'https', port: 8443 },
  'https:': { http: 'https', port: 8443 },
};

/** True for anything that names a ClickHouse server rather than a SQLite file. */
export function isClickHouseUrl(s: string): boolean {
  return /^(clickhouses?|https?):\/\//i.test(s);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseTarget(raw: string, env: NodeJS.ProcessEnv = process.env): ClickHouseTarget {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`not a ClickHouse URL: ${redact(raw)}`, 'expected clickhouse://HOST:PORT/DATABASE');
  }
  const scheme = SCHEMES[u.protocol.toLowerCase()];
  if (!scheme) throw new UsageError(`unsupported scheme "${u.protocol}" in ${redact(raw)}`, 'use clickhouse://, clickhouses://, http:// or https://');
  const database = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, '')) || 'oplens';
  if (!IDENT.test(database)) throw new UsageError(`database name "${database}" in ${redact(raw)} is not a plain identifier`, 'use letters, digits and _');
  const cluster = u.searchParams.get('cluster');
  if (cluster !== null && !IDENT.test(cluster)) throw new UsageError(`cluster name "${cluster}" is not a plain identifier`);
  const shardList = u.searchParams.get('shards');
  const shards = shardList ? shardList.split(',').map((s) => s.trim()).filter(Boolean).map((s) => (/^https?:\/\//.test(s) ? s : `${scheme.http}://${s}`)) : null;
  for (const key of u.searchParams.keys()) {
    if (key !== 'cluster' && key !== 'shards') throw new UsageError(`unknown parameter "${key}" in ${redact(raw)}`, 'known: cluster, shards');
  }
  if (shards && !cluster) throw new UsageError('?shards= needs ?cluster=NAME as well');
  const port = u.port || String(scheme.port);
  const hostPort = `${u.hostname}:${port}`;
  const query = cluster ? `?cluster=${cluster}${shardList ? `&shards=${shardList}` : ''}` : '';
  return {
    url: `${scheme.http}://${hostPort}`,
    database,
    username: decodeURIComponent(u.username) || env.OPLENS_CLICKHOUSE_USER || 'default',
    password: decodeURIComponent(u.password) || env.OPLENS_CLICKHOUSE_PASSWORD || '',
    cluster,
    shards,
    display: `${scheme.http === 'https' ? 'clickhouses' : 'clickhouse'}://${hostPort}/${database}${query}`,
  };
}

/** The URL with any user and password taken out, for messages about a URL that did not parse. */
export function redact(raw: string): string {
  return raw.replace(/\/\/[^/@]*@/, '//');
}
