import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpOperation, normalizeRoute, SEGMENT_RULES } from '../../src/ingest/normalize/normalize-route.js';

/** The plain reading: origin dropped by its pattern, query and fragment cut, every segment tried against every rule. */
function plainRoute(url: string): string {
  let s = url.trim().replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const cut = s.search(/[?#]/);
  if (cut !== -1) s = s.slice(0, cut);
  if (!s.includes('/')) return s || '/';
  const out = s.split('/').map((seg) => (seg === '' ? seg : SEGMENT_RULES.find(([re]) => re.test(seg))?.[1] ?? seg)).join('/');
  return out.length > 1 && out.endsWith('/') ? out.slice(0, -1) : out || '/';
}

describe('normalizeRoute', () => {
  it.each([
    ['/users/123', '/users/:id'],
    ['/users/123/orders/456', '/users/:id/orders/:id'],
    ['/v1/orders/8f14e45f-ceea-467a-9af6-6c0f2c7d3b21', '/v1/orders/:uuid'],
    ['/commits/1b6453892473a467d07372d45eb05abc2031647a', '/commits/:hash'],
    ['/objects/507f1f77bcf86cd799439011', '/objects/:hash'],
    ['/items/01ARZ3NDEKTSV4RRFFQ69G5FAV', '/items/:id'],
    ['/reports/2026-11-10', '/reports/:date'],
    ['/search?q=shoes&page=2', '/search'],
    ['/users/42#top', '/users/:id'],
    ['http://api.local:8080/users/17?full=1', '/users/:id'],
    ['https://shop.example.com/', '/'],
    ['/users/', '/users'],
    ['/v2/health', '/v2/health'],
    ['/static/app.js', '/static/app.js'],
    ['PostsItemURL', 'PostsItemURL'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeRoute(input)).toBe(expected);
  });

  it('gives every numeric id of a route the same operation', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (a, b) => normalizeRoute(`/users/${a}/orders/${b}`) === '/users/:id/orders/:id'),
    );
  });

  it('names every URL as the plain reading does: origins, queries, fragments, spaces, ids, words', () => {
    const segment = fc.oneof(
      fc.constantFrom('', 'users', 'v2', 'a-b', '2026-11-10', 'deadbeefcafe', 'ord_98213', 'x.js'),
      fc.nat().map(String),
      fc.uuid(),
      fc.stringMatching(/^[0-9a-f]{16,40}$/),
      fc.stringMatching(/^[a-zA-Z0-9_-]{1,30}$/),
      fc.string({ maxLength: 6 }),
    );
    const url = fc
      .tuple(
        fc.constantFrom('', ' ', 'http://h', 'HTTPS://api.local:8080', 'x://', 'a', '//'),
        fc.array(segment, { maxLength: 6 }),
        fc.constantFrom('', '/', '?q=1', '#top', '?a=/b#c', ' '),
      )
      .map(([origin, segs, tail]) => origin + (segs.length ? '/' + segs.join('/') : '') + tail);
    fc.assert(fc.property(url, (u) => normalizeRoute(u) === plainRoute(u)), { numRuns: 2000 });
  });

  it('keeps words that merely look hexadecimal', () => {
    expect(normalizeRoute('/api/feedback/deadbeefcafe')).toBe('/api/feedback/deadbeefcafe');
  });
});

describe('httpOperation', () => {
  it('prefixes the upper-cased method', () => {
    expect(httpOperation('get', '/users/9?x=1')).toBe('GET /users/:id');
  });
  it('falls back to whichever part exists', () => {
    expect(httpOperation(undefined, '/users/9')).toBe('/users/:id');
    expect(httpOperation('POST', '-')).toBe('POST');
    expect(httpOperation(undefined, undefined)).toBeUndefined();
  });
});
