import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { REAL, expectSameFigures, fastifyFigures, ingestAndAnalyze, jsonLines, type Figures } from './real-corpus.js';

/**
 * Every sample of fixtures/real (see its README for where each comes from) is ingested with no config and
 * analysed with --exact; the figures are checked against a reader written here for each format, sharing no code
 * with oplens. Fastify's sample has its own file (fastify-join.test.ts).
 */

/** ISO-8601 to epoch ms keeping every digit of the fraction (JavaScript's Date keeps three). */
function isoMs(s: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) throw new Error(`not ISO: ${s}`);
  return Date.parse(m[1] + m[3]) + (m[2] ? Number(`0.${m[2]}`) * 1000 : 0);
}

/** tracing-subscriber's human durations: `17.8ms`, `3.49µs`, `1.2s`, `250ns`. */
function humanMs(s: string): number {
  const m = /^([\d.]+)(ns|µs|us|ms|s)$/.exec(s)!;
  return Number(m[1]) * { ns: 1e-6, µs: 1e-3, us: 1e-3, ms: 1, s: 1000 }[m[2] as 'ns']!;
}

const figures = (): Figures => ({ count: 0, errors: 0, durations: [], times: [] });
const FASTIFY = 'fastify/fastify-default-logger.log';

const readers: Record<string, () => Figures> = {
  // alp's example: response_time in seconds, "-" when not measured (then request_time, when the line has it).
  'nginx/alp-json-access.log': () => {
    const f = figures();
    for (const r of jsonLines('nginx/alp-json-access.log')) {
      f.count++;
      if (r.status >= 400) f.errors++;
      const secs = r.response_time !== '-' ? r.response_time : r.request_time;
      if (typeof secs === 'number') f.durations.push(secs * 1000);
      f.times.push(Date.parse(r.time));
    }
    return f;
  },
  // Span close events of `request` spans; the status the handler recorded on the span.
  'rust-tracing/tracing-json-no-target.log': () => {
    const f = figures();
    for (const r of jsonLines('rust-tracing/tracing-json-no-target.log')) {
      if (r.fields?.message !== 'close') continue;
      f.count++;
      if (r.span.status >= 400) f.errors++;
      f.durations.push(humanMs(r.fields['time.busy']) + humanMs(r.fields['time.idle']));
      f.times.push(isoMs(r.timestamp));
    }
    return f;
  },
  // tower-http TraceLayer with span closes: each request is its response event, its span's close and, for a
  // 5xx, a failure event. One request per response event, with its status and latency.
  'rust-tracing/trace-layer-response-and-close.log': () => {
    const f = figures();
    for (const r of jsonLines('rust-tracing/trace-layer-response-and-close.log')) {
      if (r.fields.message !== 'finished processing request') continue;
      f.count++;
      if (r.fields.status >= 400) f.errors++;
      f.durations.push(Number(/^(\d+) ms$/.exec(r.fields.latency)![1]));
      f.times.push(isoMs(r.timestamp));
    }
    return f;
  },
  // request_started / request_finished or request_failed by request_id; the duration is the time between them.
  'structlog/structlog-requests.log': () => {
    const f = figures();
    const started = new Map<string, number>();
    for (const r of jsonLines('structlog/structlog-requests.log')) {
      if (r.event === 'request_started') started.set(r.request_id, isoMs(r.timestamp));
      if (r.event !== 'request_finished' && r.event !== 'request_failed') continue;
      f.count++;
      if (r.event === 'request_failed' || r.code >= 400) f.errors++;
      const t0 = started.get(r.request_id)!;
      f.durations.push(isoMs(r.timestamp) - t0);
      f.times.push(t0);
    }
    return f;
  },
  ...Object.fromEntries(
    ['k8s-audit/elastic-test-audit.log', 'k8s-audit/elastic-test-kube-audit.log'].map((file) => [
      file,
      () => {
        const f = figures();
        for (const line of jsonLines(file)) {
          // Azure's export wraps the event in properties.log (an object or JSON text).
          const log = line.properties?.log;
          const e = line.kind === 'Event' ? line : typeof log === 'string' ? JSON.parse(log) : log;
          if (e?.kind !== 'Event' || e.stage !== 'ResponseComplete') continue;
          f.count++;
          if (e.responseStatus?.code >= 400) f.errors++;
          f.durations.push(isoMs(e.stageTimestamp) - isoMs(e.requestReceivedTimestamp));
          f.times.push(isoMs(e.requestReceivedTimestamp));
        }
        return f;
      },
    ]),
  ),
  // Load-balancer entries: cache hits answered by the balancer carry no latency.
  'gcp/elastic-test-load-balancer.log': () => {
    const f = figures();
    for (const r of jsonLines('gcp/elastic-test-load-balancer.log')) {
      if (!r.httpRequest) continue;
      f.count++;
      if (r.httpRequest.status >= 400) f.errors++;
      if (r.httpRequest.latency) f.durations.push(Number(r.httpRequest.latency.replace(/s$/, '')) * 1000);
      f.times.push(isoMs(r.timestamp));
    }
    return f;
  },
  // @google-cloud/logging's express middleware and LogSync: latency and timestamp as {seconds, nanos}.
  'gcp/google-cloud-logging-express.log': () => {
    const f = figures();
    const ms = (d: { seconds?: number; nanos?: number }) => (d.seconds ?? 0) * 1000 + (d.nanos ?? 0) / 1e6;
    for (const r of jsonLines('gcp/google-cloud-logging-express.log')) {
      if (!r.httpRequest) continue;
      f.count++;
      if (r.httpRequest.status >= 400) f.errors++;
      f.durations.push(ms(r.httpRequest.latency));
      f.times.push(ms(r.timestamp));
    }
    return f;
  },
  ...Object.fromEntries(
    ['cloudflare/elastic-test-pipeline-http-request.log', 'cloudflare/ibm-cis-logpull-example.log'].map((file) => [
      file,
      () => {
        const f = figures();
        // Logpush writes the edge times as RFC 3339, Unix seconds or nanoseconds (numbers or text).
        const ms = (v: string | number) =>
          typeof v === 'string' && v.includes('T') ? Date.parse(v) : Number(v) > 1e17 ? Number(v) / 1e6 : Number(v) * 1000;
        for (const r of jsonLines(file)) {
          f.count++;
          if (r.EdgeResponseStatus >= 400) f.errors++;
          f.durations.push(ms(r.EdgeEndTimestamp) - ms(r.EdgeStartTimestamp));
          f.times.push(ms(r.EdgeStartTimestamp));
        }
        return f;
      },
    ]),
  ),
  // pino lines of operations; failures carry the application's own error.category.
  'pino-categories/pino-error-categories.log': () => {
    const f = figures();
    for (const r of jsonLines('pino-categories/pino-error-categories.log')) {
      f.count++;
      if (r.success === false) f.errors++;
      f.durations.push(r.duration);
      f.times.push(r.time);
    }
    return f;
  },
  // Telemetry API batches: a JSON array per line, one platform.report per invocation.
  'lambda/telemetry-api-batches.jsonl': () => {
    const f = figures();
    for (const batch of jsonLines('lambda/telemetry-api-batches.jsonl') as unknown as Array<Array<Record<string, any>>>) {
      for (const r of batch) {
        if (r.type !== 'platform.report') continue;
        f.count++;
        if (r.record.status !== 'success') f.errors++;
        f.durations.push(r.record.metrics.durationMs);
        f.times.push(Date.parse(r.time));
      }
    }
    return f;
  },
};

describe('real logs read with no config give the independent figures', () => {
  it.each(Object.keys(readers))('%s', (file) => {
    const want = readers[file]();
    expect(want.count).toBeGreaterThan(0);
    expectSameFigures(ingestAndAnalyze(file, want.times), want);
  });

  it('the whole corpus in one ingest of its directory, with no config, gives the figures of every reader together', () => {
    const all: Record<string, () => Figures> = { ...readers, [FASTIFY]: () => fastifyFigures(FASTIFY) };
    // Every log in the directory has a reader: a sample added without one fails here.
    const logs = fs.readdirSync(REAL, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(log|jsonl|ndjson|json)$/.test(f) && !f.includes('make-'));
    expect(logs.map((f) => f.split(path.sep).join('/')).sort()).toEqual(Object.keys(all).sort());
    const want = figures();
    for (const read of Object.values(all)) {
      const f = read();
      want.count += f.count;
      want.errors += f.errors;
      want.durations.push(...f.durations);
      want.times.push(...f.times);
    }
    const run = ingestAndAnalyze('.', want.times);
    expect(run.ingest.stdout + run.ingest.stderr).toMatch(new RegExp(`from ${logs.length} files`));
    expectSameFigures(run, want);
  });

  it('error categories are counted as the log wrote them, as jq \'.error.category\' | sort | uniq -c counts them', () => {
    const file = 'pino-categories/pino-error-categories.log';
    const byCategory: Record<string, number> = {};
    for (const r of jsonLines(file)) if (r.error?.category) byCategory[r.error.category] = (byCategory[r.error.category] ?? 0) + 1;
    expect(Object.keys(byCategory).sort()).toEqual(['network', 'parsing', 'permission', 'validation']);
    const run = ingestAndAnalyze(file, readers[file]().times);
    const got = Object.fromEntries(run.doc.errorCategories.map((c: any) => [c.category, c.count]));
    expect(got).toEqual(byCategory);
  });

  it('nginx: a "-" duration is not measured, never a bad line, and the line keeps its status', () => {
    const want = readers['nginx/alp-json-access.log']();
    const run = ingestAndAnalyze('nginx/alp-json-access.log', want.times);
    expect(run.ingest.stdout + run.ingest.stderr).toContain('0 quarantined');
    expect(run.doc.overall.durationCount).toBeLessThan(run.doc.overall.count);
    expect(run.doc.errorCategories.map((c: any) => [c.category, c.count])).toEqual([['client_error', 2], ['timeout', 1]]);
  });
});
