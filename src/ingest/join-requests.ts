import type { JoinedRequest, JoinPart, JoinSpec } from './formats/format-adapter.js';
import type { OpEvent } from '../core/op-event.js';
import { MINUTE_MS } from '../core/time.js';

/**
 * The join stage: requests that a format logs as several lines (Fastify's `incoming request` + `request completed`
 * by `reqId`, structlog's `request_started` + `request_finished` by `request_id`) become one event. Segments are
 * parsed in parallel, so the parts they find are joined here, in file order, one joiner per stream.
 *
 * A request may also be logged by several lines that each describe it whole (tower-http's response event and its
 * span's close): the first counts, the others are remembered by id for the timeout and not counted again.
 *
 * Memory is bounded: at most MAX_PENDING requests wait for their finish, each with at most MAX_EXTRAS extra lines.
 * A start that sees no finish within JOIN_TIMEOUT_MS of log time (measured against the newest line of the stream),
 * or that is pushed out by the bound, becomes an `unfinished` failure without a duration: counted, never dropped.
 * What is pending when a batch commits is saved with its checkpoint, so a kill or restart joins across it.
 */
export const JOIN_TIMEOUT_MS = 5 * MINUTE_MS;
export const MAX_PENDING = 10_000;
const MAX_EXTRAS = 8;
/** The category of requests that started and never finished. */
export const UNFINISHED = 'unfinished';

/** A part as a segment found it, with its line (0-based within the segment) for quarantine. */
export interface LinePart {
  lineIndex: number;
  offset: number;
  part: JoinPart;
}

/** What a joiner saves with the checkpoint; `offset` is where the stream stood, so a stale state is never used. */
export interface JoinState {
  offset: number;
  newest: number;
  pending: Pending[];
  /** Requests counted from a `whole` line whose later lines are not counted again: [key, claim]. */
  claims?: Array<[string, Claim]>;
}

/** A request id's counted requests whose `close` has not come (`open`) and failures whose `echo` has not (`echoes`). */
interface Claim {
  open: number;
  echoes: number;
  ts: number;
}

/** A saved state, if it is one and belongs to the offset the stream resumes at (else it is stale: not used). */
export function savedJoinState(v: unknown, offset: number): JoinState | undefined {
  const st = v as JoinState | null | undefined;
  return st && typeof st === 'object' && st.offset === offset && Array.isArray(st.pending) ? st : undefined;
}

interface Pending extends JoinedRequest {
  /** Line number (1-based) and offset of the first part seen, for quarantine. */
  line: number;
  offset: number;
}

export interface JoinOutput {
  events: OpEvent[];
  bad: Array<{ line: number; offset: number; reason: string; snippet: string }>;
  /** Requests reported as unfinished by this call. */
  unfinished: number;
}

export class RequestJoiner {
  private readonly pending = new Map<string, Pending>();
  /** Kept in the order of their last line, so the oldest come first. */
  private readonly claims = new Map<string, Claim>();
  private newest = -Infinity;

  constructor(
    private readonly spec: JoinSpec,
    state?: JoinState,
    private readonly timeoutMs = JOIN_TIMEOUT_MS,
  ) {
    if (!state) return;
    this.newest = state.newest ?? -Infinity;
    for (const p of state.pending) this.pending.set(p.key, p);
    for (const [key, c] of state.claims ?? []) this.claims.set(key, c);
  }

  /** Requests waiting for their finish. */
  get size(): number {
    return this.pending.size;
  }

  /** Joins one segment's parts, in line order; `firstLine` is the 1-based number of the segment's first line. */
  absorb(parts: LinePart[], firstLine: number): JoinOutput {
    const out: JoinOutput = { events: [], bad: [], unfinished: 0 };
    for (const { lineIndex, offset, part } of parts) {
      const line = firstLine + lineIndex;
      if (part.ts > this.newest) this.newest = part.ts;
      if (part.role === 'whole' || part.role === 'echo' || part.role === 'close') {
        if (this.counts(part)) this.emit({ key: part.key, extras: [], finish: part }, line, offset, out);
        continue;
      }
      let req = this.pending.get(part.key);
      if (part.role === 'start' && req?.start) {
        // The id came round again (a server restart resets Fastify's req-1, req-2 …): the old one never finished.
        this.expire(req, out);
        req = undefined;
      }
      if (part.role === 'finish') {
        if (req) this.pending.delete(part.key);
        this.emit({ key: part.key, start: req?.start, extras: req?.extras ?? [], finish: part }, line, offset, out);
        continue;
      }
      if (!req) {
        req = { key: part.key, extras: [], line, offset };
        this.pending.set(part.key, req);
      }
      if (part.role === 'start') req.start = part;
      else if (req.extras.length < MAX_EXTRAS) req.extras.push(part);
    }
    this.expireOld(out);
    return out;
  }

  /** Every pending request as unfinished: the stream ended for good (stdin, a gzip file read to its end). */
  flush(): JoinOutput {
    const out: JoinOutput = { events: [], bad: [], unfinished: 0 };
    for (const req of [...this.pending.values()]) this.expire(req, out);
    return out;
  }

  save(offset: number): JoinState {
    return {
      offset, newest: Number.isFinite(this.newest) ? this.newest : 0, pending: [...this.pending.values()],
      claims: [...this.claims.entries()],
    };
  }

  /** Whether a line that describes a request on its own counts, or repeats a line of its request that counted. */
  private counts(part: JoinPart): boolean {
    const c = this.claims.get(part.key);
    if (part.role === 'close') {
      if (!c || c.open === 0) return true;
      c.open--;
      if (c.open === 0 && c.echoes === 0) this.claims.delete(part.key);
      return false;
    }
    if (part.role === 'echo' && c && c.echoes > 0) {
      c.echoes--;
      return false;
    }
    const next = c ?? { open: 0, echoes: 0, ts: part.ts };
    next.open++;
    if (part.echo) next.echoes++;
    next.ts = part.ts;
    this.claims.delete(part.key); // re-inserted last: the map stays in the order of the newest line
    this.claims.set(part.key, next);
    return true;
  }

  /** Requests are kept in arrival order, so the oldest come first: expiring stops at the first that may still finish. */
  private expireOld(out: JoinOutput): void {
    for (const req of this.pending.values()) {
      const overBound = this.pending.size > MAX_PENDING;
      if (!overBound && firstTs(req) >= this.newest - this.timeoutMs) break;
      this.expire(req, out);
    }
    // A claim whose close has not come within the timeout (the log has no span closes) is forgotten.
    for (const [key, c] of this.claims) {
      if (this.claims.size <= MAX_PENDING && c.ts >= this.newest - this.timeoutMs) break;
      this.claims.delete(key);
    }
  }

  private expire(req: Pending, out: JoinOutput): void {
    this.pending.delete(req.key);
    const ev = this.spec.complete({ key: req.key, start: req.start, extras: req.extras });
    if ('bad' in ev) {
      out.bad.push({ line: req.line, offset: req.offset, reason: ev.bad, snippet: JSON.stringify(req.start?.data ?? req.extras[0]?.data ?? {}) });
      return;
    }
    withDims(ev, req);
    ev.ok = false;
    ev.durationMs = null;
    ev.errorCategory = UNFINISHED;
    ev.errorMessage = `started, no finish line within ${this.timeoutMs / 1000} s of log time`;
    out.events.push(ev);
    out.unfinished++;
  }

  private emit(req: JoinedRequest, line: number, offset: number, out: JoinOutput): void {
    const ev = this.spec.complete(req);
    if ('bad' in ev) out.bad.push({ line, offset, reason: ev.bad, snippet: JSON.stringify(req.finish?.data ?? {}) });
    else out.events.push(withDims(ev, req));
  }
}

/** The event with the dimensions of all its lines: the start's (method), then the extras', then the finish's (status). */
function withDims(ev: OpEvent, req: JoinedRequest): OpEvent {
  let dims: Record<string, string> | undefined;
  for (const p of [req.start, ...req.extras, req.finish]) if (p?.dims) dims = { ...dims, ...p.dims };
  if (dims) ev.dims = { ...dims, ...ev.dims };
  return ev;
}

function firstTs(req: JoinedRequest): number {
  return req.start?.ts ?? req.extras[0]?.ts ?? Infinity;
}
