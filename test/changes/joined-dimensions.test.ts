import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { AnalysisDocument } from '../../src/analysis/analysis-document.js';
import { ROOT, runCli, tmpDir } from '../helpers/cli.js';

// Fastify logs a request as two lines joined by reqId: the start carries req.method, the finish res.statusCode.
const LOG = path.join(ROOT, 'fixtures/real/fastify/fastify-default-logger.log');

/** Requests per method and per status, paired by hand from the file: each finish takes the method of its start. */
function expected(): { method: Record<string, number>; status: Record<string, number>; hostname: Record<string, number> } {
  const startMethod = new Map<string, string>();
  const out = { method: {} as Record<string, number>, status: {} as Record<string, number>, hostname: {} as Record<string, number> };
  for (const line of fs.readFileSync(LOG, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    if (r.reqId === undefined) continue;
    if (r.responseTime !== undefined) {
      const m = startMethod.get(r.reqId);
      startMethod.delete(r.reqId);
      if (m !== undefined) out.method[m] = (out.method[m] ?? 0) + 1;
      out.status[String(r.res.statusCode)] = (out.status[String(r.res.statusCode)] ?? 0) + 1;
      out.hostname[r.hostname] = (out.hostname[r.hostname] ?? 0) + 1;
    } else if (r.req?.method !== undefined) {
      startMethod.set(r.reqId, r.req.method);
    }
  }
  return out;
}

describe('a request joined from its start and finish lines keeps the dimensions of both', () => {
  let db: string;
  const groups = (by: string): Record<string, number> => {
    const r = runCli(['--db', db, 'analyze', '--days', '3650', '--now', '2027-01-01T00:00:00Z', '--group-by', by, '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as AnalysisDocument;
    return Object.fromEntries(doc.operations.map((o) => [o.op, o.count]));
  };
  beforeAll(() => {
    db = path.join(tmpDir(), 'fastify.db');
    expect(runCli(['--db', db, 'ingest', LOG]).code).toBe(0);
  });

  test('method from the start line, status from the finish line, host from both', () => {
    const want = expected();
    expect(Object.keys(want.method).length).toBeGreaterThan(1);
    expect(Object.keys(want.status).length).toBeGreaterThan(1);
    expect(groups('method')).toEqual(want.method);
    expect(groups('status')).toEqual(want.status);
    expect(groups('hostname')).toEqual(want.hostname);
  });

  test('--where on a dimension of each line', () => {
    const [status] = Object.entries(expected().status).sort((a, b) => a[1] - b[1]);
    const r = runCli(['--db', db, 'analyze', '--days', '3650', '--now', '2027-01-01T00:00:00Z', '--where', `status=${status[0]}`, '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as AnalysisDocument).overall.count).toBe(status[1]);
  });
});
