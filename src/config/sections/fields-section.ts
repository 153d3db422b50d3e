import type { FieldMapping } from '../../ingest/formats/mapped.js';
import type { DurationUnit } from '../../ingest/normalize/parse-duration.js';
import { checkKeys, configError, expectObject, expectString } from '../config-error.js';
import type { ConfigSection } from '../config-section.js';

const PATH_KEYS = ['ts', 'op', 'method', 'duration', 'durationStart', 'durationEnd', 'ok', 'status', 'errorCategory', 'errorMessage', 'errorCode', 'source'] as const;
const UNITS = ['ns', 'us', 'ms', 's', 'min', 'h'] as const;
const PATH = /^[^.\s]+(\.[^.\s]+)*$/;
const MAX_ATTRS = 32;

/**
 * `fields`: how to read logs no adapter knows, as dotted paths into each record:
 * `{"ts": "meta.time", "op": "endpoint", "duration": "timing.ms", "durationUnit": "ms", "status": "http.status",
 *   "attrs": {"memoryMb": "proc.rss_mb"}}`. Only `ts` is required, with `op` or `duration`.
 */
export const fieldsSection: ConfigSection<'fields'> = {
  key: 'fields',
  defaults: () => undefined,
  parse(raw) {
    const o = expectObject(raw, 'fields');
    checkKeys(o, [...PATH_KEYS, 'durationUnit', 'attrs'], 'fields');
    if (o.ts === undefined) throw configError('fields.ts', 'the path of the timestamp (it is required)', undefined);
    if (o.op === undefined && o.duration === undefined && o.durationStart === undefined) throw configError('fields.op', 'a path (fields needs op or duration)', undefined);
    if ((o.durationStart === undefined) !== (o.durationEnd === undefined)) {
      const missing = o.durationStart === undefined ? 'fields.durationStart' : 'fields.durationEnd';
      throw configError(missing, 'a path (durationStart and durationEnd go together)', undefined);
    }
    if (o.durationStart !== undefined && o.duration !== undefined) throw configError('fields.duration', 'no value (the duration is durationEnd - durationStart)', o.duration);
    const out: FieldMapping = { ts: '' };
    for (const k of PATH_KEYS) if (o[k] !== undefined) out[k] = expectPath(o[k], `fields.${k}`);
    if (o.method !== undefined && o.op === undefined) throw configError('fields.op', 'a path to the URL (fields.method needs it)', undefined);
    if (o.durationUnit !== undefined) out.durationUnit = expectString(o.durationUnit, 'fields.durationUnit', UNITS) as DurationUnit;
    if (o.attrs !== undefined) {
      const attrs = expectObject(o.attrs, 'fields.attrs');
      const names = Object.keys(attrs);
      if (names.length > MAX_ATTRS) throw configError('fields.attrs', `at most ${MAX_ATTRS} attributes`, `${names.length} attributes`);
      out.attrs = {};
      for (const name of names) out.attrs[name] = expectPath(attrs[name], `fields.attrs.${name}`);
    }
    return out;
  },
};

function expectPath(v: unknown, keyPath: string): string {
  if (typeof v !== 'string' || !PATH.test(v) || v.length > 200) {
    throw configError(keyPath, 'a dotted path such as "timing.duration"', v);
  }
  return v;
}
