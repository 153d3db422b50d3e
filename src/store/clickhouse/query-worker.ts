import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { FleetConnection } from './connection.js';

/**
 * Runs the fleet store's queries for a caller that waits synchronously (sync-queries.ts): each request carries a
 * shared flag the caller sleeps on with Atomics.wait; the answer goes to the caller's port, then the flag is raised.
 */
interface Request {
  sql: string;
  flag: Int32Array;
}

const { url, port } = workerData as { url: string; port: MessagePort };
const opened = FleetConnection.open(url, { create: false });

parentPort!.on('message', async ({ sql, flag }: Request) => {
  try {
    const conn = await opened;
    port.postMessage({ rows: await conn.query(sql) });
  } catch (e) {
    const err = e as { message?: string; hint?: string; exitCode?: number };
    port.postMessage({ error: { message: err.message ?? String(e), hint: err.hint, store: err.exitCode !== undefined } });
  }
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
