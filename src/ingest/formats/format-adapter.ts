import type { OpEvent } from '../../core/op-event.js';
import type { Dimension } from '../dimensions.js';

export type JsonRecord = Record<string, unknown>;

/** Why a record could not become an event; quarantined with this reason. */
export interface BadRecord {
  bad: string;
}

export interface Detection {
  /** 0 = certainly not this format, 1 = certainly this format. */
  score: number;
  /** Human-readable evidence, shown by `oplens detect`. */
  reason: string;
}

/**
 * One log format. An adapter maps one parsed JSON object (one line) to events.
 * It returns [] for records that are valid but not operations (a k6 metric it does not read, a startup message),
 * or a BadRecord when the record claims to be an operation but cannot be read (no timestamp, bad duration).
 */
export interface FormatAdapter {
  name: string;
  description: string;
  /** Decide from the first parsed records of a file (up to 20). */
  detect(samples: JsonRecord[]): Detection;
  /**
   * Checks the first records of a file (up to 100) before any line is read with this adapter: a config mapping
   * whose path occurs nowhere is a config error. Returns what is wrong (`fields.duration: path "x" not found`).
   */
  validate?(records: JsonRecord[]): string | undefined;
  toEvents(record: JsonRecord): OpEvent[] | BadRecord;
  /** Where this format keeps fields worth slicing by (a nested status or host), beyond the top-level ones found by name. */
  dimensions?: Dimension[];
  /** For formats that log one request as several lines (a start, a finish, error lines), joined by an id. */
  join?: JoinSpec;
}

/**
 * How a format's multi-line requests are recognised and put together. `part` runs per line (in workers, so it must
 * be cheap and pure); the joining itself runs in file order in the join stage (join-requests.ts).
 */
export interface JoinSpec {
  /** The part a record plays in a request, or undefined for a record read on its own by toEvents. */
  part(record: JsonRecord): JoinPart | BadRecord | undefined;
  /**
   * The event of a request from its parts. `start` is undefined when its start line was not seen (it came before
   * the first line read), `finish` when it never finished (the stage then marks the event unfinished). A `whole`,
   * `echo` or `close` line that counts comes alone, as `finish`.
   */
  complete(request: JoinedRequest): OpEvent | BadRecord;
}

/**
 * `start`, `finish` and `extra` lines make one request together. `whole`, `echo` and `close` lines each describe a
 * request on their own, and one request may be logged by several of them (tower-http's response event, its failure
 * event, the span's close): the first counts, its repeats do not. A `whole` line counts and claims its request's
 * later `close`; an `echo` repeats the `whole` line before it that said `echo: true` (counted only when there was
 * none); a `close` ends the request and counts only when no line of it counted.
 */
export interface JoinPart {
  role: 'start' | 'finish' | 'extra' | 'whole' | 'echo' | 'close';
  /** The request or span id the parts share. */
  key: string;
  /** Epoch ms of the line: pending starts time out against the newest line seen. */
  ts: number;
  /** What complete() needs of the line, and no more: a pending start is held in memory and in the checkpoint. */
  data: JsonRecord;
  /** A `whole` line whose `echo` line follows (tower-http logs a failed response twice). */
  echo?: boolean;
  /** The dimension values of its line (set by the pipeline): the joined event keeps those of all its lines. */
  dims?: Record<string, string>;
}

export interface JoinedRequest {
  key: string;
  start?: JoinPart;
  extras: JoinPart[];
  finish?: JoinPart;
}

export function isBad(x: OpEvent[] | BadRecord): x is BadRecord {
  return !Array.isArray(x);
}
