import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { IntegrityReport } from '../store.js';
import type { Columns } from './columns.js';
import { FleetConnection } from './connection.js';
import { CountedRows } from './counted-rows.js';
import { checkFleet } from './fleet-check.js';

/**
 * Runs the fleet store's calls for a caller that waits synchronously (sync-queries.ts): each request carries a
 * shared flag the caller sleeps on with Atomics.wait; the answer goes to the caller's port, then the flag is raised.
 */
export interface FleetCalls {
  rows(sql: string): Promise<Columns>;
  /** Independent queries sent at once (the client keeps a few sockets open), their answers in the same order. */
  rowsAll(sqls: string[]): Promise<Columns[]>;
  command(sql: string): Promise<void>;
  bytesOnDisk(): Promise<number>;
  dropDaysBefore(table: string, day: number): Promise<void>;
  optimize(tables: string[]): Promise<void>;
  checkIntegrity(): Promise<IntegrityReport>;
}

/** A failure as it crosses to the caller: a StoreError (store: true) keeps its message and hint. */
export interface WorkerError {
  message: string;
  hint?: string;
  store: boolean;
}

interface Request {
  call: keyof FleetCalls;
  args: unknown[];
  flag: Int32Array;
}

const { url, port } = workerData as { url: string; port: MessagePort };
// The list of voided attempts is read while the caller starts up, too (and while the schema is checked): every
// read of a data table uses it.
let counted: CountedRows | undefined;
const opened = FleetConnection.open(url, { create: false }, (conn) => (counted = new CountedRows(conn)).load()).then((conn) => ({ conn, counted: counted! }));
// The caller learns as soon as the store is open (or why it is not), while it goes on starting up.
opened.then(() => parentPort!.postMessage({}), (e) => parentPort!.postMessage({ error: workerError(e) }));

const calls = ({ conn, counted }: { conn: FleetConnection; counted: CountedRows }): FleetCalls => ({
  rows: (sql) => counted.query(sql),
  rowsAll: (sqls) => Promise.all(sqls.map((sql) => counted.query(sql))),
  command: (sql) => conn.command(sql),
  bytesOnDisk: () => conn.bytesOnDisk(),
  dropDaysBefore: (table, day) => conn.dropDaysBefore(table, day),
  optimize: (tables) => conn.optimize(tables),
  checkIntegrity: () => checkFleet(conn),
});

parentPort!.on('message', async ({ call, args, flag }: Request) => {
  try {
    const fn = calls(await opened)[call] as (...a: unknown[]) => Promise<unknown>;
    port.postMessage({ value: await fn(...args) });
  } catch (e) {
    port.postMessage({ error: workerError(e) });
  }
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});

function workerError(e: unknown): WorkerError {
  const err = e as { message?: string; hint?: string; exitCode?: number };
  return { message: err.message ?? String(e), hint: err.hint, store: err.exitCode !== undefined };
}
