import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
// @ts-expect-error plain ESM module shared with developers' shells (no types)
import { createCluster, createServer, serverBinary } from '../clickhouse/servers.mjs';
import { tmpDir } from './cli.js';

export interface TestServer {
  url: string;
  http: number;
  tcp: number;
  dir: string;
  start(): Promise<void>;
  stop(opts?: { graceful?: boolean }): Promise<void>;
}

/**
 * ClickHouse tests run against real servers that the test file starts itself in a temporary directory and stops
 * afterwards. Without clickhouse-server installed they fail with the way to install it: CI cannot pass by skipping.
 */
function requireServer(): void {
  if (!serverBinary()) throw new Error('clickhouse-server is not installed: apt-get install -y clickhouse-server clickhouse-client (.ci/run does this)');
}

export async function startServer(): Promise<TestServer & { cleanup(): Promise<void> }> {
  requireServer();
  const dir = tmpDir('oplens-ch-');
  const s = (await createServer(path.join(dir, 'server'))) as TestServer;
  return Object.assign(s, {
    async cleanup() {
      await s.stop({ graceful: true });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** One server for the describe block that calls this: started before its tests, stopped after them. */
export function serverPerSuite(): { readonly server: TestServer; url(db: string): string } {
  let s: (TestServer & { cleanup(): Promise<void> }) | undefined;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s?.cleanup();
  });
  return {
    get server() {
      return s!;
    },
    url: (db) => `clickhouse://127.0.0.1:${s!.http}/${db}`,
  };
}

export async function startCluster(): Promise<{ shards: TestServer[]; cluster: string; cleanup(): Promise<void> }> {
  requireServer();
  const dir = tmpDir('oplens-ch-');
  const c = (await createCluster(dir)) as { shards: TestServer[]; cluster: string; stop(): Promise<void> };
  return {
    shards: c.shards,
    cluster: c.cluster,
    async cleanup() {
      await c.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs SQL over plain HTTP, independently of oplens's own client; rows as JSON objects. */
export async function chQuery<T = Record<string, number>>(httpUrl: string, sql: string): Promise<T[]> {
  const text = await chCommand(`${httpUrl}/?output_format_json_quote_64bit_integers=0`, `${sql} FORMAT JSONEachRow`);
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

/** Runs one statement over plain HTTP and returns the server's answer as text. */
export async function chCommand(httpUrl: string, sql: string): Promise<string> {
  // The server closes idle keep-alive sockets after 3 s, and a restarted server leaves every pooled socket dead: a
  // request that found its socket closed is sent again on another one, a few times.
  let r: Response | undefined;
  for (let tries = 1; !r; tries++) {
    try {
      r = await fetch(httpUrl, { method: 'POST', body: sql });
    } catch (e) {
      if (tries >= 5) throw e;
    }
  }
  const text = await r.text();
  if (!r.ok) throw new Error(`${sql}: ${text}`);
  return text;
}

/** The rows of a fleet table that count: those of attempts the ship protocol did not void. */
export function counted(db: string, table: string): string {
  return `${db}.${table} WHERE (source, batch, attempt) GLOBAL NOT IN (SELECT source, batch, attempt FROM ${db}.voided)`;
}
