import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { categoryClass, classifyError } from '../../src/ingest/normalize/classify-error.js';
import { fingerprint } from '../../src/ingest/normalize/fingerprint.js';
import { parseDuration } from '../../src/ingest/normalize/parse-duration.js';
import { parseTimestamp } from '../../src/ingest/normalize/parse-timestamp.js';
import { nativeAdapter } from '../../src/ingest/formats/native.js';
import type { OpEvent } from '../../src/core/op-event.js';

const native = nativeAdapter();
const T = Date.UTC(2026, 10, 20, 14, 5, 30, 250);

function one(rec: Record<string, unknown>): OpEvent {
  const out = native.toEvents(rec);
  if (!Array.isArray(out)) throw new Error(`bad record: ${out.bad}`);
  expect(out).toHaveLength(1);
  return out[0];
}

describe('timestamps', () => {
  it.each([
    ['ISO with Z', '2026-11-20T14:05:30.250Z'],
    ['ISO with offset', '2026-11-20T16:05:30.250+02:00'],
    ['ISO without zone is UTC', '2026-11-20T14:05:30.250'],
    ['space instead of T', '2026-11-20 14:05:30.250'],
    ['comma fraction', '2026-11-20 14:05:30,250'],
    ['microsecond fraction', '2026-11-20T14:05:30.250123Z'],
    ['epoch seconds', T / 1000],
    ['epoch milliseconds', T],
    ['epoch microseconds', T * 1000],
    ['epoch nanoseconds', T * 1e6],
    ['epoch ms as string', String(T)],
  ])('%s', (_name, v) => {
    expect(parseTimestamp(v)).toBe(T);
  });

  it('reads any ISO-8601 UTC instant exactly, in any order (the per-minute cache never leaks)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: Date.UTC(2199, 11, 31) }), { minLength: 1, maxLength: 50 }), (times) => {
        for (const t of times) {
          const iso = new Date(t).toISOString();
          expect(parseTimestamp(iso)).toBe(t);
          expect(parseTimestamp(iso.replace(/\.\d{3}Z$/, 'Z'))).toBe(t - (t % 1000));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects unreadable and out-of-range values', () => {
    expect(parseTimestamp('yesterday')).toBeNull();
    expect(parseTimestamp(-5)).toBeNull();
    expect(parseTimestamp('3000-01-01T00:00:00Z')).toBeNull();
    expect(parseTimestamp({})).toBeNull();
  });

  it.each(['timestamp', 'ts', 'time', '@timestamp'])('reads the %s alias', (key) => {
    expect(one({ [key]: T, operation: 'x', duration: 1 }).ts).toBe(T);
  });
});

describe('durations', () => {
  it.each([
    [{ duration: 12.5 }, 12.5],
    [{ durationMs: 12.5 }, 12.5],
    [{ duration_ms: 12.5 }, 12.5],
    [{ elapsed: 12.5 }, 12.5],
    [{ latency: 12.5 }, 12.5],
    [{ responseTime: 12.5 }, 12.5],
    [{ duration_seconds: 1.5 }, 1500],
    [{ durationSeconds: 1.5 }, 1500],
    [{ duration_s: 0.25 }, 250],
    [{ duration_ns: 2_500_000 }, 2.5],
    [{ duration_us: 2500 }, 2.5],
    [{ duration: '1.5s' }, 1500],
    [{ duration: '120ms' }, 120],
    [{ duration: '1m30.5s' }, 90_500],
    [{ duration: '250us' }, 0.25],
    [{ duration: '42' }, 42],
  ])('%j -> %d ms', (fields, ms) => {
    expect(one({ ts: T, operation: 'x', ...fields }).durationMs).toBeCloseTo(ms, 9);
  });

  it('takes the unit of unsuffixed fields from config', () => {
    const ev = nativeAdapter({ durationUnit: 's' }).toEvents({ ts: T, operation: 'x', duration: 2 });
    expect(Array.isArray(ev) && ev[0].durationMs).toBe(2000);
  });

  it.each([
    [-1, 'duration is negative'],
    ['fast', 'duration is not a number'],
    [1e300, 'duration is out of range (over a year)'],
    ['1m30', 'duration is not a number'],
  ])('rejects %j', (v, reason) => {
    expect(parseDuration(v)).toEqual({ bad: reason });
    expect(native.toEvents({ ts: T, operation: 'x', duration: v })).toEqual({ bad: reason });
  });

  it('keeps a line without duration as an event with null duration', () => {
    expect(one({ ts: T, operation: 'x', success: true }).durationMs).toBeNull();
  });
});

describe('operations and outcome', () => {
  it.each(['operation', 'op', 'name', 'endpoint', 'route'])('reads the %s alias', (key) => {
    expect(one({ ts: T, [key]: 'GET /a', duration: 1 }).op).toBe('GET /a');
  });

  it.each([
    [{ success: true }, true],
    [{ success: false }, false],
    [{ ok: false }, false],
    [{ status: 200 }, true],
    [{ status: 503 }, false],
    [{ statusCode: 404 }, false],
    [{ status_code: 302 }, true],
    [{ status: 'ok' }, true],
    [{ status: 'failed' }, false],
    [{ error: { message: 'boom' } }, false],
    [{ level: 'error' }, false],
    [{}, true],
  ])('%j -> ok=%s', (fields, ok) => {
    expect(one({ ts: T, operation: 'x', duration: 1, ...fields }).ok).toBe(ok);
  });

  it('skips records that are neither operations nor timed (plain log messages)', () => {
    expect(native.toEvents({ ts: T, level: 'info', msg: 'listening on :8080' })).toEqual([]);
  });

  it('reports a missing timestamp', () => {
    expect(native.toEvents({ operation: 'x', duration: 1 })).toEqual({ bad: 'no timestamp' });
  });

  it('reads resource attributes and the source', () => {
    const ev = one({ ts: T, operation: 'x', duration: 1, service: 'api', memory_mb: 512, cpuPercent: 40, concurrency: 8, retries: 2, sessionId: 's-1' });
    expect(ev.source).toBe('api');
    expect(ev.attrs).toEqual({ memoryMb: 512, cpuPercent: 40, concurrency: 8, retries: 2, sessionId: 's-1' });
  });
});

describe('access logs in the native reader', () => {
  it('reads an nginx JSON access log line (CLF time, request line, seconds, status as text)', () => {
    const ev = one({ time_local: '20/Nov/2026:15:05:30 +0100', request: 'GET /users/42?x=1 HTTP/1.1', status: '503', request_time: '0.250' });
    expect(ev).toMatchObject({ ts: T - 250, op: 'GET /users/:id', durationMs: 250, ok: false, errorCategory: 'server_error' });
  });

  it('reads a zap-style request line (epoch seconds, method + path, duration with unit)', () => {
    const ev = one({ level: 'info', ts: T / 1000, msg: 'request', method: 'get', path: '/api/items/7', status: 200, latency: '12.5ms' });
    expect(ev).toMatchObject({ ts: T, op: 'GET /api/items/:id', durationMs: 12.5, ok: true });
  });
});

describe('error classification', () => {
  it.each([
    [{ code: 'ETIMEDOUT' }, 'timeout'],
    [{ message: 'request timed out after 30s' }, 'timeout'],
    [{ status: 504 }, 'timeout'],
    [{ status: 408 }, 'timeout'],
    [{ code: 'ECONNRESET' }, 'connection'],
    [{ code: 'ECONNREFUSED' }, 'connection'],
    [{ code: 'EPIPE' }, 'connection'],
    [{ message: 'socket hang up' }, 'connection'],
    [{ status: 429 }, 'rate_limit'],
    [{ status: 401 }, 'auth'],
    [{ status: 403 }, 'auth'],
    [{ status: 404 }, 'not_found'],
    [{ status: 422 }, 'client_error'],
    [{ status: 500 }, 'server_error'],
    [{ status: 502 }, 'server_error'],
    [{ code: 'ENOMEM' }, 'memory'],
    [{ message: 'FATAL ERROR: JavaScript heap out of memory' }, 'memory'],
    [{ exitCode: 137 }, 'process'],
    [{ signal: 'SIGKILL' }, 'process'],
    [{ message: 'validation failed: quantity must be positive' }, 'validation'],
    [{ message: 'something odd' }, 'unknown'],
  ])('%j -> %s', (facts, category) => {
    expect(classifyError(facts)).toBe(category);
  });

  it('keeps the category the log gives as written; its class is what rules read', () => {
    for (const [given, cls] of [['network', 'connection'], ['permission', 'auth'], ['parsing', 'validation'], ['Timeout', 'timeout'], ['quota', 'quota']]) {
      expect(one({ ts: T, operation: 'x', success: false, error: { category: given } }).errorCategory).toBe(given);
      expect(categoryClass(given)).toBe(cls);
    }
    // Classified only where the log gives none.
    expect(one({ ts: T, operation: 'x', success: false, error: { category: '  ', message: 'connect ECONNREFUSED' } }).errorCategory).toBe('connection');
  });

  it('classifies an HTTP status line without a category', () => {
    expect(one({ ts: T, operation: 'x', status: 429 }).errorCategory).toBe('rate_limit');
  });
});

describe('fingerprints', () => {
  it('groups messages that differ only by ids, numbers, paths and quoted values', () => {
    const a = fingerprint('user 123 not found in /var/data/users.db (request 3f2a9c1e-1b2c-4d5e-8f90-1234567890ab)');
    const b = fingerprint('user 98765 not found in /srv/other/db.sqlite (request 00000000-1111-2222-3333-444444444444)');
    expect(a).toBe(b);
    expect(fingerprint('invalid field "quantity"')).toBe(fingerprint('invalid field "price"'));
    expect(fingerprint('read ECONNRESET from 10.0.3.12:5432')).toBe(fingerprint('read ECONNRESET from 10.0.7.200:5432'));
  });

  it('keeps different messages apart', () => {
    expect(fingerprint('user 1 not found')).not.toBe(fingerprint('order 1 not found'));
  });
});
