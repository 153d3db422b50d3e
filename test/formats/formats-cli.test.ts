import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFormats } from '../../src/ingest/formats/registry.js';
import { runCli, tmpDir } from '../helpers/cli.js';
import { FIXTURES } from './fixture.js';

describe('oplens formats', () => {
  it('lists every format with its description, native last', () => {
    const r = runCli(['formats']);
    expect(r.code).toBe(0);
    const names = r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    expect(names).toEqual(allFormats().map((f) => f.name));
    expect(names[names.length - 1]).toBe('native');
    expect(r.stdout).toMatch(/^traefik\s+Traefik JSON access log: .*Duration \(ns\)$/m);
    // The shapes real logs take beyond the tidy one.
    expect(r.stdout).toMatch(/^native\s.*nginx.*"-" = not measured/m);
    expect(r.stdout).toMatch(/^lambda\s.*a JSON array per line/m);
    expect(r.stdout).toMatch(/^gcp-http\s.*\{seconds, nanos\}/m);
    expect(r.stdout).toMatch(/^rust-tracing\s.*counts once/m);
    expect(r.stdout).toMatch(/^k8s-audit\s.*Azure/m);
  });

  it('lists the config mapping first when oplens.config.json has fields', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'oplens.config.json'), JSON.stringify({ fields: { ts: 'meta.at', op: 'action.name' } }));
    const r = runCli(['formats', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ name: string; description: string }>;
    expect(list[0]).toEqual({ name: 'mapped', description: 'the "fields" mapping in oplens.config.json (ts: meta.at, op: action.name)' });
  });
});

describe('oplens detect', () => {
  it('prints the decision, the reason and every format\'s score', () => {
    const r = runCli(['detect', path.join(FIXTURES, 'traefik-access.log')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/traefik-access\.log: traefik \(score 0\.97, from 6 records in 6 lines\)/);
    expect(r.stdout).toMatch(/^ {2}why: 100% of 6 sampled lines have Traefik/m);
    const ranked = r.stdout.split('ranking:\n')[1].trim().split('\n').map((l) => l.trim().split(/\s+/)[0]);
    expect(ranked).toHaveLength(allFormats().length);
    expect(ranked[0]).toBe('traefik');
  });

  it('gives JSON per file for a directory', () => {
    const r = runCli(['detect', FIXTURES, '--json']);
    expect(r.code).toBe(0);
    const got = Object.fromEntries((JSON.parse(r.stdout) as Array<{ file: string; format: string }>).map((d) => [path.basename(d.file), d.format]));
    expect(got['k6-results.json']).toBe('k6');
    expect(got['homeostasis-monitoring.log']).toBe('homeostasis');
    expect(got['aws-lambda-telemetry-records.jsonl']).toBe('lambda');
  });

  it('names a mapping path that the file does not have, with exit code 2', () => {
    const dir = tmpDir();
    const config = path.join(dir, 'c.json');
    fs.writeFileSync(config, JSON.stringify({ fields: { ts: 'meta.at', op: 'action.name', duration: 'timing.ms' } }));
    const file = path.join(FIXTURES, 'mapped-app.jsonl');
    const r = runCli(['--config', config, 'detect', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('mapped-app.jsonl: mapped');
    expect(r.stdout).toContain(`problem: fields.duration: path "timing.ms" not found in the first 5 lines of ${file}`);
  });

  it('fails with one line for a missing file', () => {
    const r = runCli(['detect', 'no/such/file.log']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('oplens: no such file or directory: no/such/file.log\n  hint: check the path\n');
  });
});

describe('oplens ingest --log-format and status', () => {
  it('forces a format and shows each file\'s format in status', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'o.db');
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    fs.copyFileSync(path.join(FIXTURES, 'caddy-access.log'), path.join(logs, 'edge.log'));
    fs.copyFileSync(path.join(FIXTURES, 'envoy-istio-access.log'), path.join(logs, 'mesh.log'));
    expect(runCli(['--db', db, 'ingest', path.join(logs, 'edge.log'), '--log-format', 'caddy']).code).toBe(0);
    expect(runCli(['--db', db, 'ingest', logs]).code).toBe(0);
    const status = runCli(['--db', db, 'status']);
    expect(status.stdout).toMatch(/edge\.log {2}caddy {2}/);
    expect(status.stdout).toMatch(/mesh\.log {2}envoy {2}/);
  });

  it('rejects an unknown format by name', () => {
    const r = runCli(['--db', path.join(tmpDir(), 'o.db'), 'ingest', FIXTURES, '--log-format', 'nginx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^oplens: --log-format: unknown format "nginx"\n {2}hint: expected auto or one of: otel, k6, /);
  });

  it('still takes the older --format spelling, with a deprecation note', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'o.db');
    const r = runCli(['--db', db, 'ingest', path.join(FIXTURES, 'caddy-access.log'), '--format', 'caddy']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^oplens: --format for the log format is deprecated; use --log-format caddy\n/);
    expect(runCli(['--db', db, 'status']).stdout).toMatch(/caddy-access\.log {2}caddy {2}/);
    const both = runCli(['--db', db, 'ingest', FIXTURES, '--format', 'caddy', '--log-format', 'envoy']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/both give the log format/);
  });
});
