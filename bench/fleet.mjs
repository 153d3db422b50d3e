// Fleet scenario: ship a local store into a local ClickHouse (events/s, goal >= 200k), then `analyze --days 7` on
// the fleet store against the same analysis on the local SQLite store (goal: within 2x). The server is started
// from the installed clickhouse-server in a temporary directory and stopped afterwards.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from '../test/clickhouse/servers.mjs';

const BIN = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist', 'cli', 'main.js');

function timed(args) {
  const t = process.hrtime.bigint();
  execFileSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  return Number(process.hrtime.bigint() - t) / 1e9;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** db: a local store from the ingest scenario; events: how many it holds; now: the end of its week. */
export async function benchFleet({ db, events, now, runs = 3 }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oplens-bench-fleet-'));
  const local = path.join(dir, 'local.db');
  fs.copyFileSync(db, local); // shipping records its progress in the store; the ingest scenario's copy stays as it was
  const server = await createServer(path.join(dir, 'clickhouse'));
  try {
    const url = `clickhouse://127.0.0.1:${server.http}/bench`;
    const shipSeconds = timed(['--db', local, 'ship', '--to', url, '--source', 'bench-host']);
    const analyze = ['analyze', '--days', '7', '--now', now, '--format', 'json'];
    const sqlite = [];
    const fleet = [];
    // Alternate the engines so that a change in machine load hits both alike.
    for (let i = 0; i < runs; i++) {
      sqlite.push(timed(['--db', local, ...analyze]));
      fleet.push(timed(['--db', url, ...analyze]));
    }
    const s = median(sqlite);
    const f = median(fleet);
    return {
      label: `fleet: ship ${events.toLocaleString('en-US')} events to ClickHouse, analyze --days 7 there`,
      ship: { seconds: +shipSeconds.toFixed(2), eventsPerSec: Math.round(events / shipSeconds) },
      analyze: { sqliteSeconds: +s.toFixed(2), clickhouseSeconds: +f.toFixed(2), ratio: +(f / s).toFixed(2) },
    };
  } finally {
    await server.stop({ graceful: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
