import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, spawnCli, tmpDir } from '../helpers/cli.js';

const COMMANDS = ['ingest', 'watch', 'status', 'analyze', 'report', 'incident', 'baseline', 'prune', 'formats', 'detect', 'init'];

describe('help and usage', () => {
  it('--version prints the package version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('--help lists every command and the exit codes', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(r.stdout).toMatch(/Exit codes: 0 ok, 1 failure, 2 usage error, 3 thresholds breached/);
  });

  it.each(COMMANDS)('%s --help shows a description, options with defaults and examples', (c) => {
    const r = runCli([c, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: oplens ${c}`, 'm'));
    expect(r.stdout).toMatch(/Examples:\n(\s+\$ oplens .+\n){1,}/);
  });

  it('an unknown command suggests the closest one', () => {
    const r = runCli(['analize']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'analize'/);
    expect(r.stderr).toMatch(/did you mean analyze\?/i);
  });

  it('an unknown option suggests the closest one', () => {
    const r = runCli(['status', '--formt', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean --format\?/i);
  });

  it('a missing required argument names it and shows the usage line', () => {
    const r = runCli(['ingest']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required argument 'paths'/);
    expect(r.stderr).toMatch(/--help/);
  });
});

describe('output into a closed pipe', () => {
  // `oplens analyze --help | head -1`: the reader is gone before oplens writes. The read end is closed before the
  // child has started, so its first write meets EPIPE.
  it.each([['analyze', '--help'], ['formats']])('%s %s ends quietly with the SIGPIPE status', async (...args) => {
    const child = spawnCli(args);
    child.stdout!.destroy();
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(141);
  });
});

describe('terminal conventions', () => {
  it('status --format json goes to stdout, messages to stderr; NO_COLOR output has no escape codes', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'o.db');
    const ing = runCli(['--db', db, 'ingest', path.join(ROOT, 'fixtures/demo')], { env: { NO_COLOR: '1', FORCE_COLOR: '' } });
    expect(ing.code).toBe(0);
    expect(ing.stdout).toBe('');
    expect(ing.stderr).toMatch(/ingested 24,640 events/);
    const st = runCli(['--db', db, 'status', '--format', 'json']);
    expect(st.code).toBe(0);
    const s = JSON.parse(st.stdout);
    expect(s.events).toBe(24_640);
    expect(s.quarantined).toBe(2);
    for (const out of [ing.stdout, ing.stderr, st.stdout]) expect(out).not.toMatch(/\x1b\[/);
  });

  it('--tz shows times in an IANA zone; windows stay UTC; an unknown zone is a usage error', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'o.db');
    expect(runCli(['--db', db, 'ingest', path.join(ROOT, 'fixtures/demo/worker.log')]).code).toBe(0);
    const utc = runCli(['--db', db, 'analyze', '--days', '1', '--now', '2026-11-10T00:00:00Z']);
    expect(utc.stdout).toMatch(/^oplens analyze {2}2026-11-09 00:00Z – 2026-11-10 00:00Z \(24 h\)/);
    const ny = runCli(['--db', db, '--tz', 'America/New_York', 'analyze', '--days', '1', '--now', '2026-11-10T00:00:00Z']);
    expect(ny.code).toBe(0);
    expect(ny.stdout).toMatch(/^oplens analyze {2}2026-11-08 19:00 EST – 2026-11-09 19:00 EST \(24 h\)/);
    const bad = runCli(['--db', db, '--tz', 'Mars/Olympus', 'status']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--tz: unknown time zone "Mars\/Olympus"/);
  });

  it('--quiet prints nothing but errors', () => {
    const dir = tmpDir();
    const r = runCli(['--db', path.join(dir, 'o.db'), '--quiet', 'ingest', path.join(ROOT, 'fixtures/demo')]);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toBe('');
  });

  it('OPLENS_DB names the database', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'env.db');
    expect(runCli(['ingest', path.join(ROOT, 'fixtures/demo/worker.log')], { env: { OPLENS_DB: db } }).code).toBe(0);
    expect(fs.existsSync(db)).toBe(true);
  });

  it('status on a missing database is one clear error', () => {
    const r = runCli(['--db', '/nonexistent/o.db', 'status']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^oplens: database \/nonexistent\/o\.db does not exist\n  hint: run `oplens ingest PATH` first/);
  });
});

describe('config errors name the key path, the value and what was expected', () => {
  it.each([
    [{ retentionDays: 'long' }, /config retentionDays: expected a number, got "long"/],
    [{ ingest: { durationUnit: 'weeks' } }, /config ingest.durationUnit: expected one of ns, us, ms, s, min, h, got "weeks"/],
    [{ ingest: { batchLine: 5 } }, /config ingest.batchLine: unknown key\n  hint: did you mean "batchLines"\?/],
    [{ thresold: [] }, /config thresold: unknown key\n  hint: did you mean "thresholds"\?/],
    [{ thresholds: [{ metric: 'p42', warning: 1 }] }, /config thresholds\[0\].metric: expected one of p50, p90, p95, p99/],
    [{ thresholds: [{ metric: 'successRate', warning: 95 }] }, /config thresholds\[0\].warning: expected a fraction between 0 and 1/],
    [{ rules: { timeoutMs: -1 } }, /config rules.timeoutMs: expected a number >= 1, got -1/],
    [{ fields: { op: 'x' } }, /config fields.ts: expected the path of the timestamp/],
  ])('%j', (cfg, msg) => {
    const dir = tmpDir();
    const file = path.join(dir, 'c.json');
    fs.writeFileSync(file, JSON.stringify(cfg));
    const r = runCli(['--db', path.join(dir, 'o.db'), '--config', file, 'ingest', path.join(ROOT, 'fixtures/demo/worker.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
  });

  it('a config that is not JSON', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'c.json'), '{ retentionDays: 3 ');
    const r = runCli(['--config', path.join(dir, 'c.json'), 'formats']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config file .*c\.json is not valid JSON/);
  });

  it('a named config that is missing', () => {
    const r = runCli(['--config', '/nonexistent.json', 'formats']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config file \/nonexistent\.json cannot be read \(ENOENT\)/);
  });
});

describe('oplens init', () => {
  it('writes a config that loads, with thresholds for slow operations and the schema', () => {
    const dir = tmpDir();
    const out = path.join(dir, 'oplens.config.json');
    const r = runCli(['init', path.join(ROOT, 'fixtures/demo'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const cfg = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(cfg.$schema).toMatch(/oplens\.schema\.json$/);
    expect(cfg.thresholds.find((t: { op: string; metric: string }) => t.op === 'report.export' && t.metric === 'p95')).toBeDefined();
    expect(r.stderr).toMatch(/operations seen in the samples: .*search/);
    expect(runCli(['--config', out, '--db', path.join(dir, 'o.db'), 'ingest', path.join(ROOT, 'fixtures/demo/worker.log')]).code).toBe(0);
    expect(runCli(['init', path.join(ROOT, 'fixtures/demo'), '--out', out]).stderr).toMatch(/already exists.*\n.*--force/);
  });

  it('names the settings of a known system in the advice (GansAuditor logs: AUDIT_TIMEOUT_SECONDS)', () => {
    const dir = tmpDir();
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    fs.copyFileSync(path.join(ROOT, 'fixtures/formats/codex-operations-failures.jsonl'), path.join(logs, 'codex-operations-2025-09-06.jsonl'));
    const out = path.join(dir, 'c.json');
    expect(runCli(['init', logs, '--out', out]).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).rules).toEqual({ timeoutSetting: 'AUDIT_TIMEOUT_SECONDS', concurrencySetting: 'MAX_CONCURRENT_AUDITS' });
  });

  it('guesses a fields mapping for logs no format knows, and ingest reads them with it', () => {
    const dir = tmpDir();
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify({ meta: { at: 1_763_632_800_000 + i * 1000 }, job: { task: i % 2 ? 'resize' : 'encode', took_ms: 10 + i } }));
    fs.writeFileSync(path.join(logs, 'jobs.jsonl'), lines.join('\n') + '\n');
    const out = path.join(dir, 'c.json');
    const r = runCli(['init', logs, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).fields).toEqual({ ts: 'meta.at', op: 'job.task', duration: 'job.took_ms' });
    const db = path.join(dir, 'o.db');
    const ing = runCli(['--config', out, '--db', db, 'ingest', logs]);
    expect(ing.code, ing.stderr).toBe(0);
    expect(ing.stderr).toMatch(/ingested 30 events/);
  });
});
