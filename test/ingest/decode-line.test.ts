import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeFailure, decodeLine } from '../../src/ingest/decode-line.js';

/** The plain path: every line that does not start with "{" is first tried as JSON as a whole (a scalar?). */
function plainDecode(text: string): unknown {
  let s = text;
  if (s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  let first = 0;
  while (first < s.length && (s.charCodeAt(first) === 32 || s.charCodeAt(first) === 9)) first++;
  if (first === s.length) return null;
  const parse = (x: string): { v: unknown } | null => {
    try {
      return { v: JSON.parse(x) };
    } catch {
      return null;
    }
  };
  if (s.charCodeAt(first) === 91) {
    const arr = parse(s);
    if (arr && Array.isArray(arr.v)) {
      return arr.v.some((x) => x !== null && typeof x === 'object' && !Array.isArray(x)) ? arr.v : 'an array whose elements are not all objects';
    }
  }
  if (s.charCodeAt(first) !== 123) {
    if (parse(s)) return 'not an object';
    first = s.indexOf('{', first);
    if (first === -1) return 'not JSON';
  }
  const r = parse(s.slice(first));
  if (!r) return 'not JSON';
  return r.v === null || typeof r.v !== 'object' || Array.isArray(r.v) ? 'not an object' : r.v;
}

const asPlain = (d: ReturnType<typeof decodeLine>) => (d instanceof DecodeFailure ? d.reason : d);

describe('decodeLine', () => {
  it('reads every line as the plain reading does: prefixes, scalars, strings holding braces, arrays, junk', () => {
    const object = fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((o) => JSON.stringify(o));
    const piece = fc.oneof(
      object,
      fc.json({ maxDepth: 2 }),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('{', '}', '"', '[', ']', ' ', '\t', '-', '2026-11-09 00:00:00 - INFO - ', '[INFO] ', '"a{b"', '12', 'true', '\ufeff', '\r'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 4 }), (pieces) => {
        const line = pieces.join('').replace(/\n/g, ' ');
        expect(asPlain(decodeLine(line))).toEqual(plainDecode(line));
      }),
      { numRuns: 2000 },
    );
  });
});
