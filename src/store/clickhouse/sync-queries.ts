import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { StoreError } from '../../errors.js';
import { MINUTE_MS } from '../../core/time.js';
import type { FleetCalls, WorkerError } from './query-worker.js';
import { rowsOf } from './columns.js';

const ANSWER_TIMEOUT_MS = 10 * MINUTE_MS;

/**
 * A fleet store's SQL (and the few calls that change it), answered synchronously. The store's interfaces are
 * synchronous (the analysis reads them in plain loops, as it reads SQLite); the ClickHouse client is not. A worker
 * thread runs the client, and each call sleeps until the worker has the answer: one call at a time.
 */
export class SyncQueries {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** Settles once the worker has connected and checked the schema: a failure there is the store's opening error. */
  readonly ready: Promise<void>;

  constructor(url: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./query-worker.js', import.meta.url), { workerData: { url, port: port2 }, transferList: [port2] });
    // Kept referenced until it is ready, so a caller awaiting `ready` keeps the process alive.
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.once('message', (m: { error?: WorkerError }) => (m.error ? reject(fromWorker(m.error)) : resolve()));
      this.worker.once('error', reject);
    }).finally(() => this.worker.unref());
    this.ready.catch(() => undefined); // a caller that never awaits it learns of the failure from its first call
  }

  rows<T>(sql: string): T[] {
    return rowsOf<T>(this.call('rows', sql));
  }

  /** The rows of independent queries, which the worker sends at once: one wait instead of one per query. */
  rowsAll<T>(sqls: string[]): T[][] {
    if (!sqls.length) return [];
    return this.call('rowsAll', sqls).map((c) => rowsOf<T>(c));
  }

  /** One of the connection's calls (query-worker.ts), waited for. */
  call<K extends keyof FleetCalls>(call: K, ...args: Parameters<FleetCalls[K]>): Awaited<ReturnType<FleetCalls[K]>> {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    this.worker.postMessage({ call, args, flag });
    if (Atomics.wait(flag, 0, 0, ANSWER_TIMEOUT_MS) === 'timed-out') throw new StoreError('ClickHouse did not answer within 10 minutes', 'check the server load');
    const answer = receiveMessageOnPort(this.port)?.message as { value?: unknown; error?: WorkerError } | undefined;
    if (!answer) throw new Error('the ClickHouse query worker gave no answer');
    if (answer.error) throw fromWorker(answer.error);
    return answer.value as Awaited<ReturnType<FleetCalls[K]>>;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

function fromWorker(e: WorkerError): Error {
  return e.store ? new StoreError(e.message, e.hint) : new Error(e.message);
}
