import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeLine } from '../../src/ingest/decode-line.js';
import { codexAdapter } from '../../src/ingest/formats/codex.js';
import { gardenerAdapter } from '../../src/ingest/formats/gardener.js';
import { GODEL_ERROR_OP, godelAdapter } from '../../src/ingest/formats/godel.js';
import { homeostasisAdapter } from '../../src/ingest/formats/homeostasis.js';
import { rustTracingAdapter } from '../../src/ingest/formats/rust-tracing.js';
import { detected, eventsOf, FIXTURES, mapAll, records } from './fixture.js';

const REAL_CODEX = 'gansauditor-codex-operations-2025-09-06.jsonl';

describe('GansAuditor_Codex operations (codex)', () => {
  it('is detected from the real sample and the failure sample', () => {
    expect(detected(REAL_CODEX)).toBe('codex');
    expect(detected('codex-operations-failures.jsonl')).toBe('codex');
  });

  it('maps the real lines: epoch-ms timestamp, operationType, timing.duration in ms, context attributes', () => {
    const recs = records(REAL_CODEX);
    const events = eventsOf(codexAdapter, REAL_CODEX);
    expect(events).toHaveLength(recs.length);
    events.forEach((e, i) => {
      const r = recs[i] as any;
      expect(e).toMatchObject({ ts: r.timestamp, op: r.operationType, durationMs: r.timing.duration, ok: true });
      expect(e.attrs).toMatchObject({ sessionId: r.sessionId, memoryMb: r.context.systemMemory, concurrency: r.context.activeProcesses });
    });
  });

  it('reads failures: timeouts, given categories, exit codes and duration-less errors; skips debug notes', () => {
    const pairs = mapAll(codexAdapter, records('codex-operations-failures.jsonl'));
    const byOp = Object.fromEntries(pairs.filter(([, e]) => e.length).map(([r, e]) => [r.operationType as string, e[0]]));
    expect(byOp.audit_execution).toMatchObject({ ok: true, durationMs: 6120 });
    expect(byOp.process_timeout).toMatchObject({ ok: false, durationMs: 30000, errorCategory: 'timeout', errorCode: 'ProcessTimeoutError' });
    expect(byOp.availability_check).toMatchObject({ ok: false, errorCategory: 'availability', errorMessage: 'spawn codex ENOENT' });
    // No error object: the exit code classifies it, stderr explains it.
    expect(byOp.command_execution).toMatchObject({ ok: false, errorCategory: 'process', errorMessage: 'error: sandbox setup failed' });
    expect(byOp.command_execution.attrs?.retries).toBe(1);
    // GansAuditor's own category "parsing" stays as the log wrote it (rules read it as a validation failure).
    expect(byOp.response_parsing).toMatchObject({ ok: false, durationMs: null, errorCategory: 'parsing' });
    const debug = pairs.find(([r]) => r.operationType === 'environment_setup')!;
    expect(debug[1]).toEqual([]);
  });
});

describe('Codebase Gardener structlog (gardener)', () => {
  const FILE = 'gardener-structlog.jsonl';

  it('is detected', () => {
    expect(detected(FILE)).toBe('gardener');
  });

  it('reads duration_seconds as seconds and only operation lines', () => {
    const recs = records(FILE);
    const ops = recs.filter((r) => r.duration_seconds !== undefined);
    const events = eventsOf(gardenerAdapter, FILE);
    expect(events).toHaveLength(ops.length);
    events.forEach((e, i) => {
      expect(e.op).toBe(ops[i].operation);
      expect(e.durationMs).toBeCloseTo((ops[i].duration_seconds as number) * 1000, 9);
      expect(e.ts).toBe(Date.parse(ops[i].timestamp as string));
      expect(e.ok).toBe(ops[i].error_type === undefined);
    });
  });

  it('classifies by the exception type and keeps it as the code', () => {
    const failed = eventsOf(gardenerAdapter, FILE).filter((e) => !e.ok);
    expect(failed.map((e) => [e.op, e.errorCategory, e.errorCode])).toEqual([
      ['project_switch', 'timeout', 'TimeoutError'],
      ['model_inference', 'connection', 'ConnectionRefusedError'],
    ]);
  });
});

describe('Homeostasis monitoring logs (homeostasis)', () => {
  const FILE = 'homeostasis-monitoring.log';

  it('reads the JSON after the "date - LEVEL - " text prefix', () => {
    const first = fs.readFileSync(path.join(FIXTURES, FILE), 'utf8').split('\n')[0];
    expect(first.startsWith('2026-11-10 09:00:00 - INFO - {')).toBe(true);
    expect(decodeLine(first)).toMatchObject({ service: 'orders-api', message: 'Monitoring started' });
    expect(detected(FILE)).toBe('homeostasis');
  });

  it('maps request_info and response_info, with normalized paths and the service as source', () => {
    const recs = records(FILE).filter((r) => r.request_info !== undefined);
    const events = eventsOf(homeostasisAdapter, FILE);
    expect(events).toHaveLength(recs.length);
    events.forEach((e, i) => {
      const r = recs[i] as any;
      expect(e.durationMs).toBe(r.request_info.duration_ms);
      expect(e.source).toBe('orders-api');
      expect(e.ok).toBe(r.response_info.status_code < 400 && r.error_details === undefined);
    });
    expect(events.filter((e) => e.op === 'GET /orders/:id')).toHaveLength(4);
    expect(events.filter((e) => e.op === 'POST /orders')).toHaveLength(2);
    expect(events.filter((e) => e.op === 'GET /orders/:id/items')).toHaveLength(1);
  });

  it('classifies failures by exception type, else by status', () => {
    const failed = eventsOf(homeostasisAdapter, FILE).filter((e) => !e.ok);
    expect(failed.map((e) => [e.errorCategory, e.errorCode])).toEqual([
      ['not_found', 'HTTP 404'],
      ['connection', 'ConnectionRefusedError'],
      ['timeout', 'TimeoutError'],
    ]);
  });
});

describe('CODEX barcode backend, Rust tracing JSON (rust-tracing)', () => {
  const FILE = 'codex-barcode-tracing.jsonl';

  it('is detected', () => {
    expect(detected(FILE)).toBe('rust-tracing');
  });

  it('names operations by span, reads duration_ms and span close times', () => {
    const events = eventsOf(rustTracingAdapter, FILE);
    const withDuration = records(FILE).filter((r: any) => r.fields.duration_ms !== undefined || r.fields['time.busy'] !== undefined);
    expect(events).toHaveLength(withDuration.length);
    expect(events.filter((e) => e.op === 'generate_barcode')).toHaveLength(6);
    expect(events.find((e) => e.attrs?.barcodeType === 'ean13')?.durationMs).toBe(3);
    const close = events[events.length - 1];
    expect(close.op).toBe('process_batch');
    expect(close.durationMs).toBeCloseTo(8.21 + 0.95, 9); // time.busy 8.21ms + time.idle 950µs
  });

  it('takes failures from level ERROR and fields.error, classified by code and message', () => {
    const failed = eventsOf(rustTracingAdapter, FILE).filter((e) => !e.ok);
    expect(failed.map((e) => [e.op, e.errorCategory, e.errorCode])).toEqual([
      ['generate_barcode', 'validation', 'INVALID_DATA'],
      ['process_batch', 'timeout', 'TIMEOUT'],
    ]);
    expect(failed[0].errorMessage).toMatch(/data too long for code128/);
  });
});

describe('Godel events (godel)', () => {
  const FILE = 'godel-events.jsonl';

  it('is detected', () => {
    expect(detected(FILE)).toBe('godel');
  });

  it('counts tool_call_end and error events only', () => {
    const recs = records(FILE);
    const events = eventsOf(godelAdapter, FILE);
    expect(events).toHaveLength(recs.filter((r) => r.type === 'tool_call_end' || r.type === 'error').length);
    const reads = events.filter((e) => e.op === 'read_file');
    expect(reads.map((e) => e.durationMs)).toEqual([18, 22]);
    expect(reads.every((e) => e.ok && e.attrs?.sessionId === 'sess-42')).toBe(true);
  });

  it('classifies failed tool calls and error events', () => {
    const failed = eventsOf(godelAdapter, FILE).filter((e) => !e.ok);
    expect(failed.map((e) => [e.op, e.errorCategory, e.durationMs])).toEqual([
      ['bash', 'timeout', 120004],
      ['write_file', 'auth', 3],
      [GODEL_ERROR_OP, 'rate_limit', null],
    ]);
    expect(failed[2].errorCode).toBe('RATE_LIMITED');
  });
});
