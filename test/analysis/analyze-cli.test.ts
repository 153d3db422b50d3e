import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';
import { DAY, T0, line, lognormal, refQuantile, rng, type Ev } from './fixture.js';

// End to end through the built CLI (npm test builds first): ingest a generated week, then analyze it.
const r = rng(21);
const events: Ev[] = [];
for (let i = 0; i < 3000; i++) {
  const op = i % 3 === 0 ? 'search' : 'list';
  const ok = r() > (op === 'search' ? 0.15 : 0.01);
  events.push({ ts: T0 + Math.floor(r() * 7 * DAY), op, duration: lognormal(r, op === 'search' ? 150 : 30, 0.5), ok, category: ok ? undefined : 'timeout' });
}
const NOW = '2026-11-16T00:00:00Z';
let dir: string;
let db: string;
const cli = (...args: string[]) => runCli(['--db', db, ...args]);
const writeConfig = (name: string, cfg: unknown) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(cfg));
  return file;
};

beforeAll(() => {
  dir = tmpDir('oplens-analyze-cli-');
  db = path.join(dir, 'oplens.db');
  fs.writeFileSync(path.join(dir, 'week.jsonl'), events.map(line).join(''));
  const res = cli('ingest', path.join(dir, 'week.jsonl'));
  expect(res.code).toBe(0);
});

describe('oplens analyze', () => {
  it('prints a readable summary', () => {
    const res = cli('analyze', '--days', '7', '--now', NOW);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^oplens analyze {2}2026-11-09 00:00Z – 2026-11-16 00:00Z \(7 d\)/);
    expect(res.stdout).toMatch(/Verdict: (HEALTHY|ATTENTION|CRITICAL)/);
    expect(res.stdout).toMatch(/Operations \(2\)\n {2}operation +count +errors +p50 +p95/);
    expect(res.stdout).toMatch(/ms/);
    expect(res.stdout).not.toMatch(/\x1b\[/); // NO_COLOR
    expect(res.stdout).toMatch(/Method: The window is \[from, to\)/);
  });

  it('colours only when asked (FORCE_COLOR) and never with NO_COLOR', () => {
    expect(runCli(['--db', db, 'analyze', '--now', NOW], { env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).toMatch(/\x1b\[1m/);
  });

  it('writes the versioned JSON document with the documented fields', () => {
    const res = cli('analyze', '--days', '7', '--now', NOW, '--format', 'json');
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.window).toMatchObject({ from: '2026-11-09T00:00:00.000Z', to: NOW.replace('Z', '.000Z') });
    expect(doc.overall.count).toBe(events.length);
    const search = doc.operations.find((o: { op: string }) => o.op === 'search');
    const mine = events.filter((e) => e.op === 'search');
    expect(search.count).toBe(mine.length);
    expect(search.errorCount).toBe(mine.filter((e) => e.ok === false).length);
    const p95 = refQuantile(mine.map((e) => e.duration).sort((a, b) => a - b), 0.95);
    expect(Math.abs(search.p95 - p95) / p95).toBeLessThanOrEqual(0.01);
    for (const k of ['op', 'count', 'errorCount', 'successRate', 'p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean']) expect(search).toHaveProperty(k);
    expect(search.throughput).toHaveProperty('meanPerMin');
    expect(search.throughput).toHaveProperty('peakPerMin');
    expect(doc.errorCategories[0]).toMatchObject({ category: 'timeout', count: events.filter((e) => e.ok === false).length, share: 1 });
    for (const k of ['errorGroups', 'comparison', 'trends', 'thresholds', 'method', 'dataQuality', 'recommendations', 'verdict']) expect(doc).toHaveProperty(k);
    expect(doc.thresholds[0]).toHaveProperty('metric');
    expect(doc.thresholds[0]).toHaveProperty('level');
  });

  it('--exact gives the reference percentiles', () => {
    const doc = JSON.parse(cli('analyze', '--now', NOW, '--format', 'json', '--exact', '--op', 'list').stdout);
    const sorted = events.filter((e) => e.op === 'list').map((e) => e.duration).sort((a, b) => a - b);
    expect(doc.method.percentiles).toBe('exact');
    expect(doc.overall.p99).toBeCloseTo(refQuantile(sorted, 0.99), 9);
  });

  it('writes html, md and json files to --out', () => {
    const out = path.join(dir, 'reports');
    const res = cli('analyze', '--now', NOW, '--format', 'html,md', '--format', 'json', '--out', out);
    expect(res.code).toBe(0);
    const base = 'oplens-2026-11-09T0000Z-2026-11-16T0000Z';
    for (const ext of ['html', 'md', 'json']) expect(fs.existsSync(path.join(out, `${base}.${ext}`))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(out, `${base}.json`), 'utf8')).schemaVersion).toBe(1);
  });

  it('bad flags are one-line usage errors (exit 2)', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--days', 'seven'], /^oplens: --days: expected a positive number, got "seven"\n/],
      [['--since', 'yesterday'], /^oplens: --since: expected an ISO-8601 time or an age/],
      [['--format', 'pdf'], /^oplens: --format: expected text, json, html or md, got "pdf"/],
      [['--format', 'text,json'], /would print both to stdout/],
      [['--op', 'nothing*'], /--op: "nothing\*" matches no operation in the store/],
      [['--baseline', 'nope'], /no baseline named "nope"/],
    ];
    for (const [args, message] of cases) {
      const res = cli('analyze', '--now', NOW, ...args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(res.stderr).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it('an empty window fails (exit 1) instead of printing an empty report', () => {
    const res = cli('analyze', '--since', '2027-01-01', '--until', '2027-01-02', '--now', NOW);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/no events in 2027-01-01 00:00Z – 2027-01-02 00:00Z/);
  });
});

describe('thresholds and --fail-on', () => {
  // search: success ≈ 85 % (a warning under 90 %), list ≈ 99 % (ok).
  const successOnly = { thresholds: [{ metric: 'successRate', warning: 0.9, critical: 0.5 }] };
  const critical = { thresholds: [{ metric: 'p50', op: 'search', critical: 1 }] };

  it('exits 3 when a breach reaches the --fail-on level, after printing', () => {
    const cfg = writeConfig('warn.json', successOnly);
    const warn = cli('--config', cfg, 'analyze', '--now', NOW, '--fail-on', 'warning');
    expect(warn.code).toBe(3);
    expect(warn.stdout).toMatch(/WARNING +successRate +search/);
    expect(warn.stderr).toMatch(/1 threshold breach at warning level or above/);
    expect(cli('--config', cfg, 'analyze', '--now', NOW, '--fail-on', 'critical').code).toBe(0);
    expect(cli('--config', cfg, 'analyze', '--now', NOW).code).toBe(0);
    const crit = writeConfig('crit.json', critical);
    expect(cli('--config', crit, 'analyze', '--now', NOW, '--fail-on', 'critical').code).toBe(3);
    expect(cli('--config', crit, 'analyze', '--now', NOW, '--fail-on', 'warning', '--format', 'json').code).toBe(3);
  });

  it('an unknown metric or operation in the config is an error (exit 2)', () => {
    const metric = cli('--config', writeConfig('m.json', { thresholds: [{ metric: 'p42', warning: 1 }] }), 'analyze', '--now', NOW);
    expect(metric.code).toBe(2);
    expect(metric.stderr).toMatch(/config thresholds\[0\]\.metric: expected one of p50, p90, p95, p99, errorRate, successRate, timeoutRate, throughput, memoryMb, got "p42"/);
    const op = cli('--config', writeConfig('o.json', { thresholds: [{ metric: 'p95', op: 'checkout', warning: 1 }] }), 'analyze', '--now', NOW);
    expect(op.code).toBe(2);
    expect(op.stderr).toMatch(/config thresholds\[0\]\.op: "checkout" matches no operation in the store/);
    expect(cli('analyze', '--now', NOW, '--fail-on', 'fatal').code).toBe(2);
  });
});

describe('oplens baseline and prune', () => {
  it('saves, lists, compares with and removes a baseline', () => {
    expect(cli('baseline', 'save', 'first-half', '--since', '2026-11-09', '--until', '2026-11-12T12:00', '--now', NOW).code).toBe(0);
    expect(cli('baseline', 'save', 'first-half', '--days', '1', '--now', NOW).code).toBe(2);
    const list = cli('baseline', 'list');
    expect(list.stdout).toMatch(/^first-half {2}2026-11-09 00:00Z – 2026-11-12 12:00Z/);
    const doc = JSON.parse(cli('analyze', '--since', '2026-11-12T12:00', '--until', '2026-11-16', '--now', NOW, '--baseline', 'first-half', '--format', 'json').stdout);
    expect(doc.comparison.baseline.name).toBe('first-half');
    expect(doc.comparison.baseline.window.from).toBe('2026-11-09T00:00:00.000Z');
    expect(cli('baseline', 'rm', 'first-half').code).toBe(0);
    const again = cli('baseline', 'rm', 'first-half');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/no baseline named "first-half"/);
  });

  it('prunes raw events older than the retention, after which --exact refuses older windows', () => {
    const bad = cli('prune', '--older-than', 'a while');
    expect(bad.code).toBe(2);
    const res = cli('prune', '--older-than', '2d', '--now', NOW);
    expect(res.code).toBe(0);
    const cut = Date.parse('2026-11-14T00:00:00Z');
    expect(res.stderr).toMatch(new RegExp(`pruned ${events.filter((e) => e.ts < cut).length.toLocaleString('en-US')} raw events; raw events are kept from 2026-11-14 00:00Z on`));
    const exact = cli('analyze', '--now', NOW, '--exact');
    expect(exact.code).toBe(2);
    expect(exact.stderr).toMatch(/--exact: raw events before 2026-11-14 00:00Z were pruned/);
    expect(cli('analyze', '--now', NOW, '--exact', '--days', '2').code).toBe(0);
  });
});
