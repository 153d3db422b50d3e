#!/usr/bin/env node
// Real ClickHouse servers for the tests, started as plain processes in a temporary directory: a copy of the installed
// config.xml and users.xml, and a config.d file that points paths and ports into the directory (the package's
// service scripts do not run in containers). Works with Debian's clickhouse-server 18.16 and with current releases.
//
//   node test/clickhouse/servers.mjs     starts one server and a two-shard cluster, prints their URLs, stops on Ctrl-C
//
// Each server runs under a small shell guard that stops it when its parent process goes away, so a test run that
// is killed leaves no server behind.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const CONFIG_DIR = process.env.OPLENS_CLICKHOUSE_CONFIG_DIR ?? '/etc/clickhouse-server';
export const CLUSTER = 'oplens_test';

/** The server binary, or null when ClickHouse is not installed. */
export function serverBinary() {
  for (const candidate of ['clickhouse-server', 'clickhouse']) {
    const r = spawnSync('sh', ['-c', `command -v ${candidate}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) {
      const bin = r.stdout.trim();
      return { bin, args: candidate === 'clickhouse' ? ['server'] : [] };
    }
  }
  return null;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const GUARD = `
"$@" >/dev/null 2>&1 &
pid=$!
echo "$pid"
cat >/dev/null
kill $pid 2>/dev/null
wait $pid
`;

/**
 * One server in `dir` with fresh ports. `stop()` kills it (SIGKILL unless graceful), `start()` starts it again on the
 * same ports and data: the fault tests stop a server in the middle of a shipment.
 */
export async function createServer(dir) {
  const server = await prepareServer(dir);
  await server.start();
  return server;
}

/** Writes the server's config with fresh ports; it starts with `start()`. */
async function prepareServer(dir) {
  const found = serverBinary();
  if (!found) throw new Error('clickhouse-server is not installed (apt-get install -y clickhouse-server clickhouse-client)');
  fs.mkdirSync(path.join(dir, 'config.d'), { recursive: true });
  fs.copyFileSync(path.join(CONFIG_DIR, 'config.xml'), path.join(dir, 'config.xml'));
  fs.copyFileSync(path.join(CONFIG_DIR, 'users.xml'), path.join(dir, 'users.xml'));
  const http = await freePort();
  const tcp = await freePort();
  const interserver = await freePort();
  fs.writeFileSync(path.join(dir, 'config.d', 'oplens-test.xml'), `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><console>0</console></logger>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <interserver_http_port>${interserver}</interserver_http_port>
  <listen_host replace="1">127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <!-- Days (partitions, prune) cut in UTC whatever the machine's zone, as the tests' expected figures are. -->
  <timezone>UTC</timezone>
</yandex>
`);
  let guard = null;
  let pid = null;
  const server = {
    dir, http, tcp,
    url: `http://127.0.0.1:${http}`,
    async start() {
      guard = spawn('sh', ['-c', GUARD, 'guard', found.bin, ...found.args, `--config-file=${dir}/config.xml`], {
        cwd: dir, stdio: ['pipe', 'pipe', 'ignore'],
      });
      pid = await new Promise((resolve, reject) => {
        guard.stdout.once('data', (d) => resolve(Number(String(d).trim())));
        guard.once('exit', () => reject(new Error(`clickhouse-server in ${dir} did not start`)));
      });
      await waitReady(server.url, dir);
    },
    /** SIGKILL by default: a crash, as the fault tests want; graceful waits for a clean shutdown. */
    async stop({ graceful = false } = {}) {
      if (!guard) return;
      const g = guard;
      guard = null;
      const exited = new Promise((resolve) => g.once('exit', resolve));
      if (!graceful) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
      g.stdin.end();
      await exited;
      await waitPortFree(http);
    },
  };
  return server;
}

/** A two-shard cluster on one machine: both servers know the cluster `CLUSTER` naming both TCP ports. */
export async function createCluster(dir) {
  const shards = [];
  for (const name of ['shard1', 'shard2']) shards.push(await prepareServer(path.join(dir, name)));
  const xml = `<?xml version="1.0"?>
<yandex>
  <remote_servers>
    <${CLUSTER}>
${shards.map((s) => `      <shard><replica><host>127.0.0.1</host><port>${s.tcp}</port></replica></shard>`).join('\n')}
    </${CLUSTER}>
  </remote_servers>
</yandex>
`;
  for (const s of shards) fs.writeFileSync(path.join(s.dir, 'config.d', 'cluster.xml'), xml);
  await Promise.all(shards.map((s) => s.start()));
  return { shards, cluster: CLUSTER, stop: () => Promise.all(shards.map((s) => s.stop({ graceful: true }))) };
}

async function waitReady(url, dir) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${url}/ping`);
      if (r.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  const log = path.join(dir, 'log', 'error.log');
  throw new Error(`clickhouse-server did not answer ${url}/ping within 60 s${fs.existsSync(log) ? `:\n${fs.readFileSync(log, 'utf8').slice(-2000)}` : ''}`);
}

async function waitPortFree(port) {
  for (let i = 0; i < 400; i++) {
    const free = await new Promise((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oplens-clickhouse-'));
  const single = await createServer(path.join(dir, 'single'));
  const cluster = await createCluster(path.join(dir, 'cluster'));
  console.log(`OPLENS_TEST_CLICKHOUSE=${single.url}`);
  console.log(`OPLENS_TEST_CLICKHOUSE_SHARDS=${cluster.shards.map((s) => s.url).join(',')}`);
  console.log(`(data in ${dir}; Ctrl-C stops the servers)`);
  const stop = async () => {
    await Promise.all([single.stop({ graceful: true }), cluster.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
