// Path segments that vary per request become placeholders so `/users/123` and `/users/456` are one operation.
// Checked in order: the first matching rule names the segment.
export const SEGMENT_RULES: ReadonlyArray<[RegExp, string]> = [
  [/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, ':uuid'],
  [/^-?\d+(?:\.\d+)?$/, ':id'],
  [/^\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?$/, ':date'],
  // Hex digests and object ids (sha1, md5, Mongo's 24-hex ids); the digit keeps words like "deadbeefcafe" out.
  [/^(?=[a-f]*\d)[0-9a-f]{16,}$/i, ':hash'],
  // Long opaque tokens (ULIDs, base64url ids) mixing letters and digits.
  [/^(?=.*\d)(?=.*[a-z])[a-z0-9_-]{20,}$/i, ':id'],
  // Short ids that are mostly digits with a prefix (`u123456`, `ord_98213`).
  [/^[a-z]{1,4}[_-]?\d{4,}$/i, ':id'],
];

/** Every rule needs a digit or (a uuid) a hyphen: a segment with neither is a word, kept without trying them. */
const MAY_VARY = /[\d-]/;

const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * A URL or path as an operation name: scheme and host dropped, query string and fragment dropped, variable
 * segments replaced (DESIGN.md: ids, uuids and numbers in paths become placeholders), trailing slash removed.
 * Names that are not paths (k6's custom `name` tags, `PostsItem`) come back unchanged.
 */
export function normalizeRoute(url: string): string {
  let s = url.trim();
  if (s.charCodeAt(0) !== 47 /* / */) s = s.replace(ORIGIN, ''); // a path from its root has no scheme or host
  const cut = firstOf(s, '?', '#');
  if (cut !== -1) s = s.slice(0, cut);
  if (!s.includes('/')) return s || '/';
  // No segment can vary in a path without a digit or a hyphen: it is kept whole, without splitting.
  const out = MAY_VARY.test(s) ? s.split('/').map(segmentName).join('/') : s;
  return out.length > 1 && out.endsWith('/') ? out.slice(0, -1) : out || '/';
}

/** The placeholder of a segment that varies per request (the first rule that matches), or the segment itself. */
function segmentName(seg: string): string {
  if (seg === '' || !MAY_VARY.test(seg)) return seg;
  for (const [re, name] of SEGMENT_RULES) if (re.test(seg)) return name;
  return seg;
}

/** Index of the first of two characters in s, or -1. */
function firstOf(s: string, a: string, b: string): number {
  const i = s.indexOf(a);
  const j = s.indexOf(b);
  return i === -1 ? j : j === -1 ? i : Math.min(i, j);
}

/** `GET /users/:id` from a method and a URL; the method alone when the URL is missing. */
export function httpOperation(method: unknown, url: unknown): string | undefined {
  const m = typeof method === 'string' && method !== '' && method !== '-' ? method.toUpperCase() : undefined;
  const u = typeof url === 'string' && url !== '' && url !== '-' ? normalizeRoute(url) : undefined;
  if (m && u) return `${m} ${u}`;
  return u ?? m;
}
