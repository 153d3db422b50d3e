import type { OpEvent } from '../../core/op-event.js';

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
}

export function isBad(x: OpEvent[] | BadRecord): x is BadRecord {
  return !Array.isArray(x);
}
