/** Which client a failing connection belongs to, read from the peer the messages name (`10.0.1.124:5432`). */
export interface PeerClient {
  /** `PostgreSQL (port 5432)` */
  peer: string;
  /** What to tune, in words and as a setting. */
  advice: string;
}

interface Known {
  name: string;
  advice: string;
}

/** Well-known ports of the peers services call, and the pool that reaches each. */
const PORTS: Record<number, Known> = {
  5432: { name: 'PostgreSQL', advice: 'the PostgreSQL client pool: bound it under the server\'s max_connections (node-postgres: new Pool({ max: 20, idleTimeoutMillis: 30000, keepAlive: true })), put PgBouncer in front when many instances share the database, and check the server\'s idle_session_timeout and tcp_keepalives_idle' },
  6432: { name: 'PgBouncer', advice: 'the PgBouncer pool: raise default_pool_size or max_client_conn, and keep the application pool under them' },
  3306: { name: 'MySQL', advice: 'the MySQL client pool: bound connectionLimit under max_connections (mysql2: createPool({ connectionLimit: 20, enableKeepAlive: true })) and keep idle connections under wait_timeout' },
  1433: { name: 'SQL Server', advice: 'the SQL Server client pool (mssql: pool.max, pool.idleTimeoutMillis) against the server\'s connection limit' },
  1521: { name: 'Oracle', advice: 'the Oracle client pool (poolMax, poolTimeout) against the server\'s sessions limit' },
  6379: { name: 'Redis', advice: 'the Redis client: one long-lived connection per process with keepAlive and reconnect backoff (ioredis: keepAlive, retryStrategy), and the server\'s timeout and maxclients' },
  11211: { name: 'memcached', advice: 'the memcached client pool size and the server\'s -c connection limit' },
  27017: { name: 'MongoDB', advice: 'the MongoDB driver pool: maxPoolSize under the server\'s connection limit, maxIdleTimeMS under any load-balancer idle timeout' },
  9042: { name: 'Cassandra', advice: 'the Cassandra driver pool (pooling.coreConnectionsPerHost) and its heartbeat interval' },
  9200: { name: 'Elasticsearch', advice: 'the Elasticsearch client: keep-alive agent with bounded sockets (maxSockets) and sniffing off behind a load balancer' },
  5672: { name: 'RabbitMQ (AMQP)', advice: 'the AMQP connection: one connection per process with heartbeats (heartbeat: 30) and channels from it, and reconnect with backoff' },
  9092: { name: 'Kafka', advice: 'the Kafka client: connections.max.idle.ms under the broker\'s, and reconnect backoff (reconnect.backoff.ms)' },
  8123: { name: 'ClickHouse (HTTP)', advice: 'the ClickHouse HTTP client: keep-alive with an idle socket TTL under the server\'s keep_alive_timeout' },
  2181: { name: 'ZooKeeper', advice: 'the ZooKeeper session timeout and the server\'s maxClientCnxns' },
  443: { name: 'HTTPS', advice: 'the HTTP client: keep-alive with a bounded pool (Node: new https.Agent({ keepAlive: true, maxSockets: 50 }); undici: new Agent({ connections: 50 })), an idle timeout under the server\'s, and one retry of idempotent calls on a reset' },
  80: { name: 'HTTP', advice: 'the HTTP client: keep-alive with a bounded pool (Node: new http.Agent({ keepAlive: true, maxSockets: 50 }); undici: new Agent({ connections: 50 })), an idle timeout under the server\'s, and one retry of idempotent calls on a reset' },
};

/** Other ports: an HTTP-ish client on common web ports, else the client of that peer. */
const WEB_PORTS = new Set([8080, 8000, 8443, 3000, 5000, 9000]);

const PEER = /(?:\[[0-9a-f:]+\]|[a-z0-9][a-z0-9.-]*):(\d{2,5})\b/i;
const URL_SCHEME = /\b(postgres(?:ql)?|mysql|redis|rediss|mongodb(?:\+srv)?|amqps?|https?):\/\//i;
const SCHEME_PORT: Record<string, number> = { postgres: 5432, postgresql: 5432, mysql: 3306, redis: 6379, rediss: 6379, mongodb: 27017, 'mongodb+srv': 27017, amqp: 5672, amqps: 5672, http: 80, https: 443 };

/** The peer of one message: its port (or URL scheme) mapped to a known client, else null. */
export function peerOf(message: string): { port: number; host: string } | null {
  const scheme = URL_SCHEME.exec(message);
  const m = PEER.exec(message);
  const port = m ? Number(m[1]) : scheme ? SCHEME_PORT[scheme[1].toLowerCase()] : undefined;
  if (port === undefined || !(port > 0 && port < 65536)) return null;
  return { port, host: m ? m[0].slice(0, m[0].lastIndexOf(':')) : scheme![1] };
}

/**
 * The client to tune for the failing connections: the port named by most of the failures (weighted by count)
 * decides. Null when the messages name no peer: the advice then stays generic.
 */
export function peerClient(examples: ReadonlyArray<{ message: string; count: number }>): PeerClient | null {
  const byPort = new Map<number, number>();
  for (const e of examples) {
    const p = peerOf(e.message);
    if (p) byPort.set(p.port, (byPort.get(p.port) ?? 0) + e.count);
  }
  const top = [...byPort].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
  if (!top) return null;
  const port = top[0];
  const known = PORTS[port] ?? (WEB_PORTS.has(port) ? { ...PORTS[80], name: 'HTTP' } : null);
  if (!known) return { peer: `port ${port}`, advice: `the pool of the client that connects to port ${port}: bound it under the peer's connection limit, keep idle connections under its idle timeout, and reconnect with backoff` };
  return { peer: `${known.name} (port ${port})`, advice: known.advice };
}
