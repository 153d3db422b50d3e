import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestSummary } from '../../src/pipeline/ingest.js';
import type { FieldMapping } from '../../src/ingest/formats/mapped.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { query, tmpDir } from '../helpers/cli.js';
import { FIXTURES, records } from './fixture.js';

type Rec = any;
type Tally = Record<string, { count: number; errors: number }>;

const MAPPING: FieldMapping = { ts: 'meta.at', op: 'action.name', duration: 'timing.took', ok: 'action.result', source: 'meta.svc' };

/**
 * What each fixture should give, worked out from the raw records with each format's own rules (which lines are
 * operations, what is a failure, where the source is), without oplens's adapters.
 */
const EXPECTED: Record<string, { format: string; tally(recs: Rec[]): Tally }> = {
  'gansauditor-codex-operations-2025-09-06.jsonl': { format: 'codex', tally: (rs) => by(rs, () => 'gansauditor-codex-operations', (r) => !r.result.success) },
  'codex-operations-failures.jsonl': {
    format: 'codex',
    tally: (rs) => by(rs.filter((r) => r.timing.duration !== undefined || !r.result.success), () => 'codex-operations-failures', (r) => !r.result.success),
  },
  'otel-file-exporter-traces-example.jsonl': {
    format: 'otel',
    tally: (rs) => by(spans(rs), () => 'otel-file-exporter-traces-example', (s) => s.span.status.code === 2),
  },
  'otel-service-traces.jsonl': { format: 'otel', tally: (rs) => by(spans(rs), (s) => s.service, (s) => s.span.status.code === 2) },
  'aws-lambda-telemetry-records.jsonl': {
    format: 'lambda',
    tally: (rs) => by(rs.filter((r) => r.type === 'platform.report'), () => 'aws-lambda-telemetry-records', (r) => r.record.status !== 'success'),
  },
  'pino-http.log': { format: 'pino-http', tally: (rs) => by(rs.filter((r) => r.req), (r) => r.name, (r) => r.res.statusCode >= 400) },
  'k6-results.json': {
    format: 'k6',
    tally: (rs) => by(rs.filter((r) => r.type === 'Point' && r.metric === 'http_req_duration'), () => 'k6-results', (r) => r.data.tags.expected_response === 'false'),
  },
  'caddy-access.log': { format: 'caddy', tally: (rs) => by(rs.filter((r) => r.msg === 'handled request'), (r) => r.request.host, (r) => r.status >= 400) },
  'traefik-access.log': { format: 'traefik', tally: (rs) => by(rs, (r) => r.ServiceName, (r) => r.DownstreamStatus >= 400) },
  'envoy-istio-access.log': {
    format: 'envoy',
    tally: (rs) => by(rs, (r) => r.upstream_cluster.split('|').pop(), (r) => r.response_code === 0 || r.response_code >= 400),
  },
  'gardener-structlog.jsonl': {
    format: 'gardener',
    tally: (rs) => by(rs.filter((r) => r.duration_seconds !== undefined), () => 'gardener-structlog', (r) => r.error_type !== undefined),
  },
  'homeostasis-monitoring.log': {
    format: 'homeostasis',
    tally: (rs) => by(rs.filter((r) => r.request_info), (r) => r.service, (r) => r.response_info.status_code >= 400),
  },
  'codex-barcode-tracing.jsonl': {
    format: 'rust-tracing',
    tally: (rs) => by(rs.filter((r) => r.fields.duration_ms !== undefined || r.fields['time.busy'] !== undefined), () => 'codex-barcode-tracing', (r) => r.level === 'ERROR'),
  },
  'godel-events.jsonl': {
    format: 'godel',
    tally: (rs) => by(rs.filter((r) => r.type === 'tool_call_end' || r.type === 'error'), () => 'godel-events', (r) => r.type === 'error' || !r.success),
  },
  'mapped-app.jsonl': { format: 'mapped', tally: (rs) => by(rs, (r) => r.meta.svc, (r) => r.action.result !== 'ok') },
};

function by<T>(items: T[], source: (x: T) => string, failed: (x: T) => boolean): Tally {
  const t: Tally = {};
  for (const x of items) {
    const k = source(x);
    t[k] ??= { count: 0, errors: 0 };
    t[k].count++;
    if (failed(x)) t[k].errors++;
  }
  return t;
}

function spans(recs: Rec[]): Array<{ service: string; span: Rec }> {
  return recs.flatMap((r) =>
    (r.resourceSpans ?? []).flatMap((rs: Rec) => {
      const service = rs.resource?.attributes?.find((a: Rec) => a.key === 'service.name')?.value.stringValue;
      return rs.scopeSpans.flatMap((s: Rec) => s.spans.map((span: Rec) => ({ service, span })));
    }),
  );
}

describe('ingesting one directory that holds every format', () => {
  const dir = tmpDir();
  const dbPath = path.join(dir, 'oplens.db');
  let summary: IngestSummary;

  beforeAll(async () => {
    const store = openSqliteStore(dbPath);
    try {
      summary = await ingest({ store, paths: [FIXTURES], formatOptions: { fields: MAPPING } });
    } finally {
      await store.close();
    }
  });

  it('picks each file\'s format and records it in the checkpoint', () => {
    const stored = Object.fromEntries(
      query<{ path: string; format: string }>(dbPath, 'SELECT path, format FROM files').map((f) => [path.basename(f.path), f.format]),
    );
    expect(stored).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([file, e]) => [file, e.format])));
    expect(summary.quarantined).toBe(0);
  });

  it('gets the events and failures of every source right', () => {
    const want: Tally = {};
    for (const [file, e] of Object.entries(EXPECTED)) {
      for (const [source, t] of Object.entries(e.tally(records(file)))) {
        want[source] ??= { count: 0, errors: 0 };
        want[source].count += t.count;
        want[source].errors += t.errors;
      }
    }
    const got = Object.fromEntries(
      query<{ source: string; count: number; errors: number }>(
        dbPath,
        `SELECT s.name AS source, sum(m.count) AS count, sum(m.error_count) AS errors
         FROM minute_stats m JOIN sources s ON s.id = m.source_id GROUP BY s.name`,
      ).map((r) => [r.source, { count: r.count, errors: r.errors }]),
    );
    expect(got).toEqual(want);
  });

  it('merges requests to the same route under one operation', () => {
    const count = (source: string, op: string) =>
      query<{ n: number }>(
        dbPath,
        `SELECT coalesce(sum(m.count), 0) AS n FROM minute_stats m JOIN ops o ON o.id = m.op_id JOIN sources s ON s.id = m.source_id
         WHERE s.name = ? AND o.name = ?`,
        source, op,
      )[0].n;
    const caddy = records('caddy-access.log').filter((r: Rec) => /^\/api\/products\/\d+(\?|$)/.test(r.request?.uri ?? ''));
    expect(count('shop.example.com', 'GET /api/products/:id')).toBe(caddy.length);
    const pino = records('pino-http.log').filter((r: Rec) => /^\/users\/\d+(\?|$)/.test(r.req?.url ?? ''));
    expect(count('shop-api', 'GET /users/:id')).toBe(pino.length);
    const k6 = records('k6-results.json').filter((r: Rec) => r.type === 'Point' && r.metric === 'http_req_duration' && /\/users\/\d+$/.test(r.data.tags.url));
    expect(count('k6-results', 'GET /users/:id')).toBe(k6.length);
  });
});
