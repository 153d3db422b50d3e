import { describe, expect, test } from 'vitest';
import { dataQuality } from '../../src/analysis/rules/data-quality.js';
import { ruleSettings } from '../../src/analysis/rules/recommend.js';
import { FROM, buildDoc, config } from './doc-factory.js';

const rules = ruleSettings(config());

describe('data-quality', () => {
  test('quarantined lines: low under 1 % of lines, medium above, with the reasons', () => {
    const doc = buildDoc();
    doc.dataQuality.quarantined = 30;
    doc.dataQuality.quarantineReasons = [{ reason: 'invalid_json', count: 25 }, { reason: 'no_timestamp', count: 5 }];
    const [low] = dataQuality.evaluate(doc, rules);
    expect(low.severity).toBe('low');
    expect(low.evidence).toEqual([`30 quarantined lines (0.03 % of all lines read into this database)`, 'reasons: invalid_json ×25, no_timestamp ×5']);
    doc.dataQuality.quarantined = 2000;
    expect(dataQuality.evaluate(doc, rules)[0].severity).toBe('medium');
  });

  test('the share of quarantined lines is over the whole store, not a short window', () => {
    const doc = buildDoc();
    doc.dataQuality.quarantined = 30;
    doc.dataQuality.storedEvents = 3_000_000 - 30;
    const [f] = dataQuality.evaluate(doc, rules);
    expect(f.severity).toBe('low');
    expect(f.evidence[0]).toBe('30 quarantined lines (0 % of all lines read into this database)');
  });

  test('clock skew and gaps each give their own finding', () => {
    const doc = buildDoc();
    doc.dataQuality.futureEvents = 1500;
    doc.dataQuality.gaps = [{ from: FROM + 3_600_000, to: FROM + 3 * 3_600_000, minutes: 120 }];
    const found = dataQuality.evaluate(doc, rules);
    expect(found.map((f) => [f.key, f.severity])).toEqual([['clock-skew', 'medium'], ['gaps', 'low']]);
    expect(found[1].evidence[1]).toBe('no events 2026-11-09 01:00Z – 2026-11-09 03:00Z (120 min)');
    // 120 of 10,080 minutes.
    expect(found[1].impact).toBeCloseTo(120 / 10_080, 6);
  });

  test('an empty window is a medium finding, never a silent healthy verdict', () => {
    const doc = buildDoc([]);
    expect(dataQuality.evaluate(doc, rules).map((f) => f.key)).toEqual(['no-events']);
  });

  test('near miss: clean data fires nothing', () => {
    expect(dataQuality.evaluate(buildDoc(), rules)).toEqual([]);
  });
});
