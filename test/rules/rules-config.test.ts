import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { defaultConfig, parseConfig } from '../../src/config/load-config.js';

const bad = (rules: unknown) => () => parseConfig({ rules });

describe('rules config section', () => {
  test('defaults come from the seeds', () => {
    const r = defaultConfig().rules;
    expect(r.timeoutMs).toBe(30_000);
    // Setting names are the team's own: unset, the advice is generic.
    expect(r.timeoutSetting).toBeUndefined();
    expect(r.concurrencySetting).toBeUndefined();
    expect(r.successRate).toEqual({ high: 0.95, critical: 0.9 });
    expect(r.memoryLimitMb).toBe(1000);
    expect(r.heavyTailRatio).toBe(10);
    expect(r.regressionThreshold).toBeUndefined(); // falls back to analysis.regressionThreshold
    expect(r.disabled).toEqual([]);
  });

  test('given keys replace the defaults, the others stay', () => {
    const r = parseConfig({
      rules: { timeoutMs: 60_000, timeouts: [{ op: 'report.*', ms: 120_000 }], successRate: { high: 0.99 }, disabled: ['heavy-tail'], regressionThreshold: 0.3 },
    }).rules;
    expect(r.timeoutMs).toBe(60_000);
    expect(r.timeouts).toEqual([{ op: 'report.*', ms: 120_000 }]);
    expect(r.successRate).toEqual({ high: 0.99, critical: 0.9 });
    expect(r.disabled).toEqual(['heavy-tail']);
    expect(r.regressionThreshold).toBe(0.3);
    expect(r.memoryLimitMb).toBe(1000);
  });

  test('unknown keys and unknown rule ids are errors naming them', () => {
    expect(bad({ timeoutMS: 1 })).toThrow(/rules\.timeoutMS: unknown key/);
    expect(bad({ timeoutMS: 1 })).toThrow(ConfigError);
    expect(bad({ disabled: ['heavy-tails'] })).toThrow('config rules.disabled[0]: expected one of p95-over-timeout');
    expect(bad({ timeouts: [{ op: 'x', ms: 5, unit: 's' }] })).toThrow(/rules\.timeouts\[0\]\.unit: unknown key/);
    expect(bad({ successRate: { warning: 0.9 } })).toThrow(/rules\.successRate\.warning: unknown key/);
  });

  test('wrong values are errors with the key path and the value', () => {
    expect(bad({ timeoutMs: 'thirty' })).toThrow('config rules.timeoutMs: expected a number, got "thirty"');
    expect(bad({ successRate: { high: 95 } })).toThrow('config rules.successRate.high: expected a fraction between 0 and 1 (0.95 = 95 %), got 95');
    expect(bad({ successRate: { high: 0.9, critical: 0.95 } })).toThrow('critical (0.95) must not be above high (0.9)');
    expect(bad({ dominantShare: 1.5 })).toThrow('config rules.dominantShare: expected a fraction between 0 and 1, got 1.5');
    expect(bad({ timeouts: [{ op: '', ms: 5 }] })).toThrow('config rules.timeouts[0].op: expected an operation name or glob');
    expect(bad({ timeoutSetting: 'rm -rf /' })).toThrow('config rules.timeoutSetting: expected an environment variable name');
    expect(bad({ minSamples: 2.5 })).toThrow('config rules.minSamples: expected a whole number, got 2.5');
  });
});
