import type { JsonRecord } from './formats/format-adapter.js';

/** Why a line is not a JSON object; a class so that no parsed record can be mistaken for it. */
export class DecodeFailure {
  constructor(readonly reason: string) {}
}

/**
 * An object, or the elements of a JSON array on one line (a batch, as the Lambda Telemetry API posts them): each
 * element is a record of its own, so one that is not an object is bad on its own.
 */
export type Decoded = JsonRecord | unknown[] | DecodeFailure | null;

const NOT_JSON = new DecodeFailure('not JSON');
const NOT_OBJECT = new DecodeFailure('not an object');
const NOT_OBJECTS = new DecodeFailure('an array whose elements are not all objects');

/**
 * One line to one JSON object, or to the objects of an array (each a record). Blank lines give null (skipped, not
 * bad). A line whose object starts after a text prefix (`2025-01-01 12:00:00 - ERROR - {...}`) is read from its
 * first `{`.
 */
export function decodeLine(text: string): Decoded {
  let s = text;
  if (s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1); // CRLF
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1); // BOM
  let first = 0;
  while (first < s.length && (s.charCodeAt(first) === 32 || s.charCodeAt(first) === 9)) first++;
  if (first === s.length) return null;
  if (s.charCodeAt(first) === 91 /* [ */) {
    const arr = parseArray(s);
    if (arr !== undefined) return arr;
  }
  if (s.charCodeAt(first) !== 123 /* { */) {
    const brace = s.indexOf('{', first);
    // A number or string on its own line. A line with a "{" can only be one when it starts with a string (or with
    // JSON whitespace before a value), so a line with a text prefix is not tried: a failed parse throws, and
    // throwing costs more than the parse.
    const c = s.charCodeAt(first);
    if ((brace === -1 || c === 34 /* " */ || c === 13 || c === 10) && parsesAsJson(s)) return NOT_OBJECT;
    if (brace === -1) return NOT_JSON;
    first = brace;
  }
  let v: unknown;
  try {
    v = JSON.parse(first === 0 ? s : s.slice(first));
  } catch {
    return NOT_JSON; // includes nesting too deep for the parser
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return NOT_OBJECT;
  return v as JsonRecord;
}

/** The elements of a JSON array holding records; a failure when none is an object, undefined when the line is no array. */
function parseArray(s: string): unknown[] | DecodeFailure | undefined {
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch {
    return undefined; // text that starts with "[" (a log prefix such as "[INFO] {...}")
  }
  if (!Array.isArray(v)) return undefined;
  return v.some(isRecord) ? v : NOT_OBJECTS;
}

export function isRecord(x: unknown): x is JsonRecord {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** The records of a decoded line: none, the object, or the objects of a batch. */
export function recordsOf(d: Decoded): JsonRecord[] {
  if (d === null || d instanceof DecodeFailure) return [];
  return Array.isArray(d) ? d.filter(isRecord) : [d];
}

function parsesAsJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}
