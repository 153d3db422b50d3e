import { describe, expect, it } from 'vitest';
import { isBad } from '../../src/ingest/formats/format-adapter.js';
import { k6Adapter } from '../../src/ingest/formats/k6.js';
import { LAMBDA_OP, lambdaAdapter } from '../../src/ingest/formats/lambda.js';
import { otelAdapter } from '../../src/ingest/formats/otel.js';
import { detected, eventsOf, mapAll, records } from './fixture.js';

describe('k6 --out json', () => {
  const FILE = 'k6-results.json';

  it('is detected', () => {
    expect(detected(FILE)).toBe('k6');
  });

  it('counts each request once, from its http_req_duration point (value in ms)', () => {
    const points = records(FILE).filter((r) => r.type === 'Point' && r.metric === 'http_req_duration') as any[];
    const events = eventsOf(k6Adapter, FILE);
    expect(events).toHaveLength(points.length);
    events.forEach((e, i) => {
      expect(e.durationMs).toBe(points[i].data.value);
      // k6 writes nanoseconds and a local offset; JavaScript keeps milliseconds.
      expect(e.ts).toBe(Date.parse(points[i].data.time.replace(/(\.\d{3})\d+/, '$1')));
      expect(e.ok).toBe(points[i].data.tags.expected_response === 'true');
    });
    expect(events.filter((e) => e.op === 'GET /users/:id')).toHaveLength(4);
    expect(events.filter((e) => e.op === 'POST /orders')).toHaveLength(2);
  });

  it('classifies 404, 503 and a request timeout with status 0', () => {
    const failed = eventsOf(k6Adapter, FILE).filter((e) => !e.ok);
    expect(failed.map((e) => [e.errorCategory, e.errorCode])).toEqual([
      ['not_found', 'HTTP 404'],
      ['server_error', 'HTTP 503'],
      ['timeout', '1050'],
    ]);
  });

  it('ignores declarations and other metrics', () => {
    const skipped = mapAll(k6Adapter, records(FILE)).filter(([, e]) => e.length === 0);
    expect(skipped.every(([r]) => r.type === 'Metric' || r.metric !== 'http_req_duration')).toBe(true);
  });
});

describe('OpenTelemetry file exporter', () => {
  it('detects and flattens the real specification example: every span of every line', () => {
    const FILE = 'otel-file-exporter-traces-example.jsonl';
    expect(detected(FILE)).toBe('otel');
    const spans = records(FILE).flatMap((r: any) => r.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((s: any) => s.spans)));
    const events = eventsOf(otelAdapter, FILE);
    expect(events).toHaveLength(spans.length);
    events.forEach((e, i) => {
      const s = spans[i];
      expect(e.op).toBe(s.name);
      expect(e.ts).toBe(Math.floor(Number(BigInt(s.startTimeUnixNano) / 1_000_000n)));
      expect(e.durationMs).toBeCloseTo(Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e6, 9);
      expect(e.ok).toBe(s.status.code !== 2);
    });
    expect(events.find((e) => !e.ok)?.errorMessage).toBe('status-cancelled');
  });

  it('takes the source from service.name and classifies by HTTP status and exception events', () => {
    const events = eventsOf(otelAdapter, 'otel-service-traces.jsonl');
    expect(events.map((e) => e.source)).toEqual(['checkout', 'checkout', 'checkout', 'payments', 'payments', 'checkout']);
    const failed = events.filter((e) => !e.ok);
    expect(failed.map((e) => [e.source, e.errorCategory, e.errorCode])).toEqual([
      ['checkout', 'timeout', 'HTTP 504'],
      ['payments', 'connection', 'ECONNRESET'],
    ]);
    expect(events[1].durationMs).toBeCloseTo(842.25, 6);
  });

  it('quarantines a line whose span has no start time, naming the span', () => {
    const out = otelAdapter.toEvents({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'x', endTimeUnixNano: '1' }] }] }] });
    expect(isBad(out) && out.bad).toBe('span: no timestamp');
  });
});

describe('AWS Lambda telemetry', () => {
  const FILE = 'aws-lambda-telemetry-records.jsonl';

  it('detects the real records and reads platform.report only', () => {
    expect(detected(FILE)).toBe('lambda');
    const reports = records(FILE).filter((r) => r.type === 'platform.report') as any[];
    const events = eventsOf(lambdaAdapter, FILE);
    expect(events).toHaveLength(reports.length);
    events.forEach((e, i) => {
      expect(e).toMatchObject({ op: LAMBDA_OP, ok: true, durationMs: reports[i].record.metrics.durationMs, ts: Date.parse(reports[i].time) });
      expect(e.attrs).toMatchObject({ memoryMb: reports[i].record.metrics.maxMemoryUsedMB, coldStart: true });
    });
  });

  it('classifies timeouts and out-of-memory invocations', () => {
    const report = (status: string, errorType: string) =>
      lambdaAdapter.toEvents({ time: '2026-11-10T09:00:00Z', type: 'platform.report', record: { status, errorType, metrics: { durationMs: 3000 } } });
    expect(report('timeout', 'Sandbox.Timedout')).toMatchObject([{ ok: false, errorCategory: 'timeout' }]);
    expect(report('error', 'Runtime.OutOfMemory')).toMatchObject([{ ok: false, errorCategory: 'memory', errorCode: 'Runtime.OutOfMemory' }]);
    expect(report('failure', 'Runtime.ExitError')).toMatchObject([{ ok: false, errorCategory: 'process' }]);
  });
});
