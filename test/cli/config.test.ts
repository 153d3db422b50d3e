import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../src/analysis/rules/registry.js';
import { parseConfig } from '../../src/config/load-config.js';
import { ROOT, runCli, tmpDir } from '../helpers/cli.js';

type Schema = Record<string, any>;
const SCHEMA: Schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'oplens.schema.json'), 'utf8'));

function writeJson(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

describe('config errors', () => {
  it('a bad config reports every problem, each with key path, value and what was expected', () => {
    const dir = tmpDir();
    const file = writeJson(dir, 'c.json', {
      retentionDays: 'long', ingest: { batchLine: 5 }, rules: { timeoutMs: 0, successRate: { high: 95 } },
      thresholds: [{ metric: 'p42', warning: 1 }, { metric: 'p95' }],
    });
    const r = runCli(['--config', file, 'formats']);
    expect(r.code).toBe(2);
    const expectedLines = [
      `oplens: config ${file} has 6 problems:`,
      '  retentionDays: expected a number, got "long"',
      '  ingest.batchLine: unknown key (did you mean "batchLines"?)',
      '  thresholds[0].metric: expected one of p50, p90, p95, p99, errorRate, successRate, timeoutRate, throughput, memoryMb, got "p42" (did you mean "p50"?)',
      '  thresholds[1].target: expected a level (no level given: give target, warning or critical), got nothing',
      '  rules.timeoutMs: expected a number >= 1, got 0',
      '  rules.successRate.high: expected a fraction between 0 and 1 (0.95 = 95 %), got 95',
    ];
    for (const line of expectedLines) expect(r.stderr.split('\n')).toContain(line);
    expect(r.stderr).toMatch(/\n {2}hint: oplens\.schema\.json describes every key/);
  });

  it('invalid JSON is reported with its line and column', () => {
    const dir = tmpDir();
    const file = writeJson(dir, 'c.json', '{\n  "retentionDays": 7,\n  rules: {}\n}\n');
    const r = runCli(['--config', file, 'formats']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^oplens: config file .*c\.json is not valid JSON: .* at line 3, column 3\n/);
    expect(r.stderr).not.toMatch(/position/);
  });
});

describe('config discovery, as eslint and prettier find theirs', () => {
  it('finds oplens.config.json in the working directory or above; OPLENS_CONFIG and --config come first', () => {
    const top = tmpDir();
    const deep = path.join(top, 'a', 'b');
    fs.mkdirSync(deep, { recursive: true });
    const found = writeJson(top, 'oplens.config.json', { retentionDays: 11 });
    const fromEnv = writeJson(top, 'env.json', { retentionDays: 12 });
    const named = writeJson(top, 'named.json', { retentionDays: 13 });
    const setting = (r: ReturnType<typeof runCli>) => {
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      return { file: doc.file, retention: doc.settings.find((s: { key: string }) => s.key === 'retentionDays') };
    };
    expect(setting(runCli(['config', '--json'], { cwd: deep }))).toEqual({ file: found, retention: { key: 'retentionDays', value: 11, from: found } });
    expect(setting(runCli(['config', '--json'], { cwd: deep, env: { OPLENS_CONFIG: fromEnv } })).retention.value).toBe(12);
    expect(setting(runCli(['--config', named, 'config', '--json'], { cwd: deep, env: { OPLENS_CONFIG: fromEnv } })).retention.value).toBe(13);
    const none = setting(runCli(['config', '--json'], { cwd: tmpDir() }));
    expect(none).toEqual({ file: null, retention: { key: 'retentionDays', value: 30, from: 'default' } });
  });

  it('oplens config prints each setting with its value and where it came from', () => {
    const dir = tmpDir();
    const file = writeJson(dir, 'oplens.config.json', { rules: { timeoutMs: 5000 } });
    const r = runCli(['config'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^config: ${file} \\(found from the working directory up\\)\n`));
    expect(r.stdout).toMatch(new RegExp(`^rules\\.timeoutMs +5000 +\\(${file}\\)$`, 'm'));
    expect(r.stdout).toMatch(/^rules\.minSamples +50 +\(default\)$/m);
  });
});

/** A deterministic generator of configs near the schema's edges: valid values, wrong types, out of range, unknown keys. */
function generator(seed: number) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const value = (sc: Schema): unknown => {
    if (rnd() < 0.04) return pick([null, 'x', 3, [], {}, true]);
    if (sc.enum) return rnd() < 0.9 ? pick(sc.enum) : 'bogus';
    switch (sc.type) {
      case 'object': {
        const o: Record<string, unknown> = {};
        for (const [k, sub] of Object.entries<Schema>(sc.properties ?? {})) if (rnd() < 0.5) o[k] = value(sub);
        if (sc.additionalProperties && typeof sc.additionalProperties === 'object' && rnd() < 0.5) o[pick(['memoryMb', 'cpu'])] = value(sc.additionalProperties);
        if (rnd() < 0.05) o[pick(['extra', 'timeoutMS', 'batchLine'])] = 1;
        return o;
      }
      case 'array':
        return Array.from({ length: Math.floor(rnd() * 3) }, () => value(sc.items ?? {}));
      case 'number':
      case 'integer': {
        const lo = sc.minimum ?? sc.exclusiveMinimum ?? 0;
        return pick([lo - 1, lo, lo + 0.5, lo + 1, 0.5, 0.95, 1, 1.5, 2.5, 100, 1024, 95]);
      }
      case 'string':
        return pick(sc.pattern ? ['a.b', 'time', 'a..b', 'MY_VAR', 'rm -rf', ''] : ['*', 'search', '', 'GET /x']);
      default:
        return pick([1, 'x']);
    }
  };
  return () => value(SCHEMA);
}

/** The checks no JSON Schema can express, written out here: ordered threshold levels and success-rate levels. */
function ordered(c: Schema): boolean {
  for (const t of c.thresholds ?? []) {
    const sign = ['successRate', 'throughput'].includes(t.metric) ? -1 : 1;
    const levels = ['target', 'warning', 'critical'].filter((l) => t[l] !== undefined).map((l) => t[l]);
    for (let i = 1; i < levels.length; i++) if (sign * (levels[i] - levels[i - 1]) < 0) return false;
  }
  const sr = { high: 0.95, critical: 0.9, ...(c.rules?.successRate ?? {}) };
  return sr.critical <= sr.high;
}

describe('the schema and the CLI accept the same configs', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const schemaAccepts = ajv.compile(SCHEMA);
  const cliAccepts = (c: unknown) => {
    try {
      parseConfig(c);
      return true;
    } catch {
      return false;
    }
  };

  it('on 2,000 generated configs: accepted by one exactly when by the other (besides the ordering checks)', () => {
    const next = generator(7);
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const c = next();
      const bySchema = schemaAccepts(c) && ordered(c as Schema);
      expect(cliAccepts(c), JSON.stringify(c)).toBe(bySchema);
      if (bySchema) accepted++;
    }
    // Both sides are exercised: many configs pass, many fail.
    expect(accepted).toBeGreaterThan(50);
    expect(accepted).toBeLessThan(1900);
  });

  it('the built CLI agrees on a sample of them', () => {
    const next = generator(99);
    const dir = tmpDir();
    for (let i = 0; i < 6; i++) {
      const c = next();
      const r = runCli(['--config', writeJson(dir, `c${i}.json`, c), 'config', '--json']);
      expect(r.code === 0, `${JSON.stringify(c)}\n${r.stderr}`).toBe(schemaAccepts(c) && ordered(c as Schema));
    }
  });

  it('lists every rule id for rules.disabled', () => {
    expect(SCHEMA.properties.rules.properties.disabled.items.enum).toEqual([...RULE_IDS]);
  });
});
