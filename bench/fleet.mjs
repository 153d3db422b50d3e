// Fleet scenario: ship a local store into a local ClickHouse (events/s, goal >= 200k), then `analyze --days 7` on
// the fleet store against the same analysis on the local SQLite store (goal: within 2x). The server is started
// from the installed clickhouse-server in a temporary directory and stopped afterwards.
//
//   node bench/fleet.mjs [--events N]   builds (once) and reuses bench/out/ingest-uniform-N.db, default 10M events
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from '../test/clickhouse/servers.mjs';
import { input } from './inputs.mjs';
import { median, runOplens, seconds } from './timing.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
export const NOW = '2026-11-16T00:00:00Z';

function timed(args) {
  return runOplens(args).ms;
}

/** db: a local store from the ingest scenario; events: how many it holds; now: the end of its week. */
export async function benchFleet({ db, events, now = NOW, runs = 3 }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oplens-bench-fleet-'));
  const local = path.join(dir, 'local.db');
  fs.copyFileSync(db, local); // shipping records its progress in the store; the ingest scenario's copy stays as it was
  const server = await createServer(path.join(dir, 'clickhouse'));
  try {
    const url = `clickhouse://127.0.0.1:${server.http}/bench`;
    const shipMs = timed(['--db', local, 'ship', '--to', url, '--source', 'bench-host']);
    const analyze = ['analyze', '--days', '7', '--now', now, '--format', 'json'];
    const sqlite = [];
    const fleet = [];
    // Alternate the engines so that a change in machine load hits both alike.
    for (let i = 0; i < runs; i++) {
      sqlite.push(timed(['--db', local, ...analyze]));
      fleet.push(timed(['--db', url, ...analyze]));
    }
    const [s, f] = [median(sqlite), median(fleet)];
    return {
      label: `fleet: ship ${events.toLocaleString('en-US')} events to ClickHouse, analyze --days 7 there`,
      ship: { seconds: seconds(shipMs), eventsPerSec: Math.round(events / (shipMs / 1000)), goal: '>= 200,000 events/s' },
      analyze: {
        command: `oplens ${analyze.join(' ')}`, runs,
        sqliteSeconds: seconds(s), clickhouseSeconds: seconds(f), ratio: +(f / s).toFixed(2), goal: '<= 2',
        sqliteRunsSeconds: sqlite.map(seconds), clickhouseRunsSeconds: fleet.map(seconds),
      },
    };
  } finally {
    await server.stop({ graceful: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The uniform input's store of `events` events in bench/out/, ingested once and reused (as the ingest scenario names it). */
export async function uniformStore(out, events) {
  const db = path.join(out, `ingest-uniform-${events}.db`);
  const done = `${db}.complete`;
  if (!fs.existsSync(done)) {
    const inp = await input(out, 'uniform', events);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
    timed(['--db', db, 'ingest', ...inp.paths]);
    fs.writeFileSync(done, '');
  }
  return db;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--events');
  const events = at > 0 ? Number(process.argv[at + 1]) : 10_000_000;
  const out = path.join(here, 'out');
  fs.mkdirSync(out, { recursive: true });
  const started = Date.now();
  const db = await uniformStore(out, events);
  console.error(`store ready (${((Date.now() - started) / 1000).toFixed(0)} s): ${db}`);
  const r = await benchFleet({ db, events });
  console.log(JSON.stringify({ ...r, loadAverage: os.loadavg().map((x) => +x.toFixed(2)) }, null, 2));
}
