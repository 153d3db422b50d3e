import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { mappedAdapter, type FieldMapping } from '../../src/ingest/formats/mapped.js';
import { allFormats, detectFormat } from '../../src/ingest/formats/registry.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { query, tmpDir } from '../helpers/cli.js';
import { FIXTURES, eventsOf, records } from './fixture.js';

const FILE = 'mapped-app.jsonl';
const MAPPING: FieldMapping = {
  ts: 'meta.at', op: 'action.name', duration: 'timing.took', durationUnit: 'ms', ok: 'action.result', source: 'meta.svc',
  errorCategory: 'failure.kind', errorMessage: 'failure.text', errorCode: 'failure.sqlstate', attrs: { memoryMb: 'mem.rss_mb' },
};

describe('the fields section of oplens.config.json', () => {
  it('parses a mapping', () => {
    expect(parseConfig({ fields: MAPPING }).fields).toEqual(MAPPING);
    expect(parseConfig({}).fields).toBeUndefined();
  });

  it.each([
    [{ op: 'a' }, /config fields\.ts: expected the path of the timestamp/],
    [{ ts: 'time' }, /config fields\.op: expected a path \(fields needs op or duration\)/],
    [{ ts: 'time', op: 'a..b' }, /config fields\.op: expected a dotted path such as "timing.duration", got "a..b"/],
    [{ ts: 'time', op: 'a', durationUnit: 'weeks' }, /config fields\.durationUnit: expected one of ns, us, ms, s, min, h, got "weeks"/],
    [{ ts: 'time', op: 'a', attrs: { memoryMb: 7 } }, /config fields\.attrs\.memoryMb: expected a dotted path/],
    [{ ts: 'time', op: 'a', durration: 'x' }, /config fields\.durration: unknown key/],
  ])('rejects %j with a clear error', (fields, message) => {
    expect(() => parseConfig({ fields })).toThrow(message);
  });
});

describe('the mapped format', () => {
  it('wins detection on a file it fits, and says why', () => {
    const det = detectFormat(records(FILE), allFormats({ fields: MAPPING }));
    expect(det.adapter.name).toBe('mapped');
    expect(det.detection.reason).toMatch(/^5 of 5 mapped paths found/);
  });

  it('maps every path, with the unit and the attributes', () => {
    const recs = records(FILE) as any[];
    const events = eventsOf(mappedAdapter(MAPPING), FILE);
    expect(events).toHaveLength(recs.length);
    events.forEach((e, i) => {
      expect(e).toMatchObject({ ts: Date.parse(recs[i].meta.at), op: recs[i].action.name, durationMs: recs[i].timing.took, source: 'shop-backend' });
      expect(e.ok).toBe(recs[i].action.result === 'ok');
      expect(e.attrs?.memoryMb).toBe(recs[i].mem.rss_mb);
    });
    const failed = events.filter((e) => !e.ok);
    expect(failed).toEqual([expect.objectContaining({ errorCategory: 'db', errorMessage: 'deadlock detected', errorCode: '40P01' })]);
  });

  it('takes the unit from the path suffix and reads status codes and URLs', () => {
    const m = mappedAdapter({ ts: 't', op: 'url', method: 'verb', duration: 'took_s', status: 'http.status_code' });
    const out = m.toEvents({ t: 1794301200, url: '/users/42?x=1', verb: 'get', took_s: 1.5, 'http.status_code': 503 });
    expect(out).toMatchObject([{ op: 'GET /users/:id', durationMs: 1500, ok: false, errorCategory: 'server_error' }]);
  });

  it('does not claim files the mapping does not fit', () => {
    const det = detectFormat(records('caddy-access.log'), allFormats({ fields: MAPPING }));
    expect(det.adapter.name).toBe('caddy');
  });
});

describe('a mapping path that no line has', () => {
  let store: SqliteStore | undefined;
  afterEach(() => store?.close());

  it('stops ingest with the key, the path and the file named', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'app.jsonl');
    fs.copyFileSync(path.join(FIXTURES, FILE), file);
    store = openSqliteStore(path.join(dir, 'o.db'));
    const err = await ingest({ store, paths: [file], formatOptions: { fields: { ...MAPPING, duration: 'timing.ms' } } }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(`fields.duration: path "timing.ms" not found in the first 5 lines of ${file}`);
    expect(query<{ n: number }>(path.join(dir, 'o.db'), 'SELECT count(*) AS n FROM minute_stats')[0].n).toBe(0);
  });

  it('is checked on a file\'s first lines only, not on lines appended later', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'app.jsonl');
    fs.copyFileSync(path.join(FIXTURES, FILE), file);
    const dbPath = path.join(dir, 'o.db');
    store = openSqliteStore(dbPath);
    await ingest({ store, paths: [file], formatOptions: { fields: MAPPING } });
    // An appended line without meta.svc is an event of the file's source, not a broken mapping.
    fs.appendFileSync(file, JSON.stringify({ meta: { at: '2026-11-10T10:00:00Z' }, action: { name: 'search', result: 'ok' }, timing: { took: 40 } }) + '\n');
    const second = await ingest({ store, paths: [file], formatOptions: { fields: MAPPING } });
    expect(second.events).toBe(1);
    expect(query<{ n: number }>(dbPath, "SELECT sum(m.count) AS n FROM minute_stats m JOIN sources s ON s.id = m.source_id WHERE s.name = 'app'")[0].n).toBe(1);
  });

  it('is checked when the format is forced too', async () => {
    const dir = tmpDir();
    store = openSqliteStore(path.join(dir, 'o.db'));
    const fields = { ts: 'meta.at', op: 'action.name', duration: 'timing.took', source: 'meta.service' };
    await expect(ingest({ store, paths: [path.join(FIXTURES, FILE)], format: 'mapped', formatOptions: { fields } })).rejects.toThrow(
      /fields\.source: path "meta\.service" not found in the first 5 lines/,
    );
  });
});

describe('fields: a duration between two timestamps, and keys that contain dots', () => {
  const REAL = path.resolve(__dirname, '../../fixtures/real');
  const lines = (file: string) => fs.readFileSync(path.join(REAL, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const isoMs = (s: string) => {
    const [, base, frac, zone] = /^(.*?:\d\d)(?:\.(\d+))?(Z)$/.exec(s)!;
    return Date.parse(base + zone) + (frac ? Number(`0.${frac}`) * 1000 : 0);
  };

  it('durationStart + durationEnd: the Kubernetes audit duration, sub-millisecond digits kept', () => {
    const adapter = mappedAdapter({ ts: 'requestReceivedTimestamp', op: 'verb', durationStart: 'requestReceivedTimestamp', durationEnd: 'stageTimestamp', status: 'responseStatus.code' });
    const recs = lines('k8s-audit/elastic-test-audit.log');
    const got = recs.flatMap((r) => adapter.toEvents(r) as Array<{ durationMs: number }>).map((e) => e.durationMs);
    const want = recs.filter((r) => r.stageTimestamp).map((r) => isoMs(r.stageTimestamp) - isoMs(r.requestReceivedTimestamp));
    expect(got).toHaveLength(3);
    got.forEach((d, i) => expect(d).toBeCloseTo(want[i], 3));
    expect(got[0]).toBeCloseTo(3.3, 3); // 18.822532 - 18.819232 s: milliseconds alone would say 3
  });

  it('a path through a key with dots: fields.time.busy of a tracing span close', () => {
    const adapter = mappedAdapter({ ts: 'timestamp', op: 'span.matched_path', duration: 'fields.time.busy' });
    const recs = lines('rust-tracing/tracing-json-no-target.log').filter((r) => r.fields['time.busy']);
    const got = recs.flatMap((r) => adapter.toEvents(r) as Array<{ op: string; durationMs: number }>);
    expect(got).toHaveLength(recs.length);
    expect(got[0].op).toBe(recs[0].span.matched_path);
    expect(got.map((e) => e.durationMs)).toEqual(recs.map((r) => {
      const [, n, u] = /^([\d.]+)(ms|µs|s)$/.exec(r.fields['time.busy'])!;
      return Number(n) * { ms: 1, µs: 1e-3, s: 1000 }[u as 'ms']!;
    }).map((x) => expect.closeTo(x, 9)));
  });

  it('durationStart and durationEnd go together, and not with duration', () => {
    expect(() => parseConfig({ fields: { ts: 't', op: 'o', durationStart: 'a' } })).toThrow(/fields.durationEnd/);
    expect(() => parseConfig({ fields: { ts: 't', durationStart: 'a', durationEnd: 'b', duration: 'c' } })).toThrow(/fields.duration/);
    expect(parseConfig({ fields: { ts: 't', durationStart: 'a', durationEnd: 'b' } }).fields).toMatchObject({ durationStart: 'a', durationEnd: 'b' });
  });
});
