import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { StoreError } from '../../errors.js';
import { MINUTE_MS } from '../../core/time.js';
import type { FleetCalls } from './query-worker.js';

const ANSWER_TIMEOUT_MS = 10 * MINUTE_MS;

/**
 * A fleet store's SQL (and the few calls that change it), answered synchronously. The store's interfaces are
 * synchronous (the analysis reads them in plain loops, as it reads SQLite); the ClickHouse client is not. A worker
 * thread runs the client, and each call sleeps until the worker has the answer: one call at a time.
 */
export class SyncQueries {
  private readonly worker: Worker;
  private readonly port: MessagePort;

  constructor(url: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./query-worker.js', import.meta.url), { workerData: { url, port: port2 }, transferList: [port2] });
    this.worker.unref();
  }

  rows<T>(sql: string): T[] {
    return this.call('rows', sql) as T[];
  }

  /** One of the connection's calls (query-worker.ts), waited for. */
  call<K extends keyof FleetCalls>(call: K, ...args: Parameters<FleetCalls[K]>): Awaited<ReturnType<FleetCalls[K]>> {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    this.worker.postMessage({ call, args, flag });
    if (Atomics.wait(flag, 0, 0, ANSWER_TIMEOUT_MS) === 'timed-out') throw new StoreError('ClickHouse did not answer within 10 minutes', 'check the server load');
    const answer = receiveMessageOnPort(this.port)?.message as { value?: unknown; error?: { message: string; hint?: string; store: boolean } } | undefined;
    if (!answer) throw new Error('the ClickHouse query worker gave no answer');
    if (answer.error) {
      if (answer.error.store) throw new StoreError(answer.error.message, answer.error.hint);
      throw new Error(answer.error.message);
    }
    return answer.value as Awaited<ReturnType<FleetCalls[K]>>;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
