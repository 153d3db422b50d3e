import type { Attrs } from '../../core/op-event.js';
import { asNumber } from './read-fields.js';

/** An HTTP status from a number or numeric string; 0 and "-" (no response was sent) give undefined. */
export function readStatus(v: unknown): number | undefined {
  const n = asNumber(v);
  return n !== undefined && n >= 100 && n < 1000 ? Math.trunc(n) : undefined;
}

/** DESIGN.md's error code for a failed HTTP response (`HTTP 503`). */
export function httpErrorCode(status: number | undefined): string | undefined {
  return status !== undefined && status >= 400 ? `HTTP ${status}` : undefined;
}

/** The status as an attribute, so reports can break operations down by it. */
export function statusAttrs(status: number | undefined): Attrs | undefined {
  return status === undefined ? undefined : { status };
}
