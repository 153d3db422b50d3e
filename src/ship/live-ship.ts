import { OplensError } from '../errors.js';
import { FleetConnection } from '../store/clickhouse/connection.js';
import { parseTarget } from '../store/clickhouse/target.js';
import { DEFAULT_BATCH_EVENTS } from './batch-size.js';
import { rollupsOnlyNotice, shipStore, type ShipSource } from './ship.js';

export interface LiveShipOptions {
  local: ShipSource;
  url: string;
  source: string;
  /** Pause between passes once everything is shipped. */
  everyMs: number;
  /** Events waiting locally past which a warning is printed (once, until shipping catches up). */
  warnBehind: number;
  /** `always`: said also under --quiet (a stop, its recovery, a backlog, a pruned first shipment). */
  onMessage: (text: string, always: boolean) => void;
}

/**
 * Ships while `watch` runs: a pass sends what is committed, then waits. When the target cannot be reached, events
 * wait in the local store (it is the queue) and the next pass resumes; the first failure and the recovery are told,
 * and so is a backlog past `warnBehind`.
 */
export class LiveShipper {
  private conn: FleetConnection | null = null;
  private stopped = false;
  private failing = false;
  private warnedBehind = false;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(private readonly o: LiveShipOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Finishes the batch in flight, then stops; what is left ships on the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await this.conn?.close();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.pass();
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.o.everyMs);
      });
      if (this.timer) clearTimeout(this.timer);
    }
  }

  private async pass(): Promise<void> {
    const { local, url, source } = this.o;
    try {
      this.conn ??= await FleetConnection.open(url, { create: true });
      const r = await shipStore(local, this.conn, { source, batchEvents: DEFAULT_BATCH_EVENTS, stopped: () => this.stopped });
      if (r.rollupsOnly) this.o.onMessage(rollupsOnlyNotice(r.rollupsOnly), true);
      if (this.failing) this.o.onMessage(`oplens: shipping to ${this.conn.target.display} works again; caught up`, true);
      this.failing = false;
    } catch (e) {
      if (!(e instanceof OplensError)) throw e;
      await this.conn?.close().catch(() => undefined);
      this.conn = null;
      if (!this.failing) this.o.onMessage(`oplens: shipping stopped: ${e.message}; events wait in the local store and ship when it works again`, true);
      this.failing = true;
    }
    const state = local.outbox.get(parseTarget(url).display);
    const waiting = local.outbox.waiting(state?.chunkCursor ?? 0);
    if (waiting > this.o.warnBehind && !this.warnedBehind) {
      this.o.onMessage(`oplens: shipping is behind: ${waiting.toLocaleString('en-US')} events wait in the local store`, true);
      this.warnedBehind = true;
    } else if (waiting <= this.o.warnBehind) this.warnedBehind = false;
  }
}
