import { asNumber, asObject } from './read-fields.js';

/**
 * Seconds in a protobuf Duration or Timestamp written as an object (`{"seconds": 0, "nanos": 13000000}`), as Google's
 * client libraries write them to stdout for the logging agent; undefined for anything else (the `"0.013s"` and
 * RFC 3339 text forms are read as usual).
 */
export function protoSeconds(v: unknown): number | undefined {
  const o = asObject(v);
  if (!o || (o.seconds === undefined && o.nanos === undefined)) return undefined;
  const s = o.seconds === undefined ? 0 : asNumber(o.seconds);
  const n = o.nanos === undefined ? 0 : asNumber(o.nanos);
  return s === undefined || n === undefined ? undefined : s + n / 1e9;
}
