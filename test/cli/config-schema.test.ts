import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig } from '../../src/config/load-config.js';
import { ROOT } from '../helpers/cli.js';

type Schema = { type?: string; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: boolean | Schema };
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'oplens.schema.json'), 'utf8')) as Schema;

/** Every key of a value must be described by the schema, which must close every object it describes. */
function describedKeys(value: unknown, s: Schema, at: string): string[] {
  const missing: string[] = [];
  if (Array.isArray(value)) {
    for (const v of value) missing.push(...describedKeys(v, s.items ?? {}, `${at}[]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const sub = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (!sub) missing.push(`${at}.${k}`);
      else missing.push(...describedKeys(v, sub, `${at}.${k}`));
    }
  }
  return missing;
}

describe('oplens.schema.json', () => {
  it('describes every key of the default config', () => {
    expect(describedKeys(defaultConfig(), schema, '')).toEqual([]);
  });

  it('describes every key of a config that uses every section', () => {
    const full = parseConfig({
      retentionDays: 14,
      ingest: { durationUnit: 's', maxLineBytes: 4096, batchLines: 100 },
      fields: { ts: 'time', op: 'route', method: 'verb', duration: 'took', durationUnit: 'ms', ok: 'ok', status: 'code', errorCategory: 'e.c', errorMessage: 'e.m', errorCode: 'e.k', source: 'svc', attrs: { memoryMb: 'mem' } },
      thresholds: [{ metric: 'p95', op: 'GET *', target: 100, warning: 200, critical: 400 }],
      analysis: { regressionThreshold: 0.3, regressionMinCount: 10, gapMinutes: 30, trendAlpha: 0.01, trendMinChange: 0.2, spikeMinErrors: 5 },
      rules: { timeoutMs: 10_000, timeouts: [{ op: 'search', ms: 5000 }], timeoutSetting: 'TIMEOUT_S', concurrencySetting: 'WORKERS', successRate: { high: 0.97, critical: 0.9 }, minSamples: 20, minFailures: 5, dominantShare: 0.6, heavyTailRatio: 8, memoryLimitMb: 2048, memoryGrowthMb: 50, regressionThreshold: 0.25, retryRate: 0.2, disabled: ['heavy-tail'] },
    });
    expect(describedKeys(full, schema, '')).toEqual([]);
  });

  it('has no key the config parser would reject', () => {
    const top = Object.keys(schema.properties ?? {}).filter((k) => k !== '$schema');
    expect(top.sort()).toEqual(Object.keys(defaultConfig()).concat(['fields']).filter((k, i, a) => a.indexOf(k) === i).sort());
  });
});
