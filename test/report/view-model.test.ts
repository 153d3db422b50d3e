import { describe, expect, test } from 'vitest';
import type { ErrorGroupStat } from '../../src/analysis/analysis-document.js';
import { incidentChanges } from '../../src/report/incident-changes.js';
import { renderHtml } from '../../src/report/render-html.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { buildViewModel } from '../../src/report/view-model.js';
import { formatMinute } from '../../src/display/format-units.js';
import { comparison, FROM, group, kpis, sampleDocument } from './sample-document.js';

describe('KPI changes never rely on colour alone', () => {
  const m = buildViewModel(sampleDocument());
  const row = (key: string) => m.kpis.find((k) => k.key === key)!;

  test('a slower p95 is up and worse', () => {
    // 250 ms → 320 ms: +28 %.
    expect(row('p95')).toMatchObject({ value: '320 ms', previous: '250 ms', change: { arrow: '↑', text: '+28 %', tone: 'bad', verdict: 'worse' } });
  });
  test('a lower success rate is down and worse, shown in points', () => {
    expect(row('successRate').change).toEqual({ arrow: '↓', text: '−1 pp', tone: 'bad', verdict: 'worse' });
  });
  test('a higher error rate is up and worse; a lower one would be better', () => {
    expect(row('errorRate').change).toMatchObject({ arrow: '↑', verdict: 'worse' });
    const better = buildViewModel(sampleDocument({ comparison: { previous: comparison('prev', 0, kpis({ errorRate: 0.05 }), kpis()), baseline: null } }));
    expect(better.kpis.find((k) => k.key === 'errorRate')!.change).toEqual({ arrow: '↓', text: '−3 pp', tone: 'good', verdict: 'better' });
  });
  test('traffic volume is neither better nor worse', () => {
    const m2 = buildViewModel(sampleDocument({ comparison: { previous: comparison('prev', 0, kpis({ count: 500 }), kpis()), baseline: null } }));
    expect(m2.kpis.find((k) => k.key === 'count')!.change).toEqual({ arrow: '↑', text: '+100 %', tone: 'neutral', verdict: '' });
  });
  test('without a comparison there is no change column', () => {
    const m3 = buildViewModel(sampleDocument({ comparison: { previous: null, baseline: null } }));
    expect(m3.kpis.every((k) => k.previous === null && k.change === null)).toBe(true);
    expect(renderMarkdown(m3)).toContain('| Metric | This window |\n|---|---:|\n');
  });
});

describe('a window with 500 operations gives a small report', () => {
  const ops = Array.from({ length: 500 }, (_, i) => group(`op-${String(i).padStart(3, '0')}`, { count: 1000 + i }));
  const groups: ErrorGroupStat[] = ops.map((o, i) => ({ op: o.op, category: 'timeout', fingerprint: `f${i}`, count: i + 1, firstSeen: FROM, lastSeen: FROM, example: 'x'.repeat(2000), code: null }));
  const doc = sampleDocument({ operations: ops, errorGroups: groups });
  const m = buildViewModel(doc);

  test('tables keep the busiest rows and say how many were left out', () => {
    expect(m.operations.rows).toHaveLength(25);
    expect(m.operations.note).toBe('top 25 of 500, 475 more');
    // Busiest first: op-499 has the most events.
    expect(m.operations.rows.slice(0, 3).map((r) => r.op)).toEqual(['op-499', 'op-498', 'op-497']);
    expect(m.errorGroups.rows[0].count).toBe('500');
    expect(m.errorGroups.note).toBe('top 20 of 500, 480 more');
    // Long log messages are capped.
    expect(m.errorGroups.rows[0].example.length).toBe(300);
  });

  test('the files stay small and carry the note', () => {
    const html = renderHtml(m);
    const md = renderMarkdown(m);
    expect(html).toContain('Showing top 25 of 500, 475 more.');
    expect(md).toContain('## Per operation (top 25 of 500, 475 more)');
    expect(html.length).toBeLessThan(150_000);
    expect(md.length).toBeLessThan(30_000);
  });
});

describe('thresholds', () => {
  test('breaches come first; Markdown lists only breaches', () => {
    const doc = sampleDocument({
      thresholds: [
        { metric: 'errorRate', op: 'a', value: 0.001, level: 'ok', warning: 0.01, critical: 0.05, worse: 'higher' },
        { metric: 'p95', op: 'b', value: 800, level: 'warning', warning: 500, critical: 1000, worse: 'higher' },
        { metric: 'successRate', op: 'c', value: 0.8, level: 'critical', warning: 0.95, critical: 0.9, worse: 'lower' },
      ],
    });
    const m = buildViewModel(doc);
    expect(m.thresholds.rows.map((r) => [r.level, r.value])).toEqual([['critical', '80 %'], ['warning', '800 ms'], ['ok', '0.1 %']]);
    expect(m.thresholds.breached).toBe(2);
    const md = renderMarkdown(m);
    expect(md).toContain('| critical | Success rate | c | 80 % | 95 % | 90 % |');
    expect(md).not.toContain('| ok |');
    expect(md).toContain('2 of 3 checks at warning or critical; the 1 that are ok are listed in the HTML report.');
    // HTML: the breaches in a table of their own, the checks that are ok folded away.
    const html = renderHtml(m);
    const folded = html.slice(html.indexOf('<details>'), html.indexOf('</details>'));
    expect(folded).toContain('<summary>1 checks ok</summary>');
    expect(folded).toContain('0.1 %');
    expect(folded).not.toContain('80 %');
    expect(html).not.toContain('No latency limits are set');
  });

  test('without latency limits the report says so instead of counting only the checks that exist', () => {
    const doc = sampleDocument({
      thresholds: [{ metric: 'successRate', op: '*', value: 0.99, level: 'ok', warning: 0.9, critical: 0.8, worse: 'lower' }],
    });
    const m = buildViewModel(doc);
    expect(m.thresholds.latencyLimits).toBe(false);
    expect(renderHtml(m)).toContain('No latency limits are set, so a slower p95 breaches nothing here');
    expect(renderMarkdown(m).replace(/\s+/g, ' ')).toContain('0 of 1 checks at warning or critical; the 1 that are ok are listed in the HTML report. No latency limits are set');
  });
});

describe('when the report was made', () => {
  test('"generated" is the wall clock, the window\'s now is shown as such', () => {
    const doc = sampleDocument();
    const m = buildViewModel(doc, { generatedAtMs: Date.UTC(2030, 0, 2, 3, 4) });
    expect(m.generatedAt).toBe('2030-01-02 03:04Z');
    expect(m.now).toBe(formatMinute(Date.parse(doc.now)));
    expect(renderMarkdown(m)).toContain(`as of ${m.now} · generated 2030-01-02 03:04Z`);
    // Without a clock given, the time of writing, to the minute.
    expect(buildViewModel(doc).generatedAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\dZ$/);
  });
});

describe('incident changes', () => {
  const g = (op: string, fingerprint: string, count: number): ErrorGroupStat =>
    ({ op, category: 'timeout', fingerprint, count, firstSeen: FROM, lastSeen: FROM, example: `${op} failed`, code: null });

  test('groups that appeared or at least doubled, and the p95 regressions', () => {
    const doc = sampleDocument({ errorGroups: [g('search', 'new', 7), g('login', 'grew', 12), g('pay', 'same', 6), g('cart', 'small', 2)] });
    doc.comparison.previous!.regressions = [{ op: 'search', before: 100, after: 150, rel: 0.5 }, { op: 'login', before: 100, after: 300, rel: 2 }];
    const c = incidentChanges(doc, [g('login', 'grew', 5), g('pay', 'same', 5), g('cart', 'small', 1)]);
    expect(c.appeared.rows.map((r) => [r.op, r.count])).toEqual([['search', '7']]);
    // login 5 → 12 (×2.4) grew; pay 5 → 6 did not; cart 1 → 2 doubled but by one error only.
    expect(c.grew.rows.map((r) => [r.op, r.before, r.count, r.factor])).toEqual([['login', '5', '12', '×2.4']]);
    expect(c.slowed.rows.map((r) => [r.op, r.change])).toEqual([['login', '+200 %'], ['search', '+50 %']]);
    expect(c.nothing).toBe(false);
    const md = renderMarkdown(buildViewModel(doc, { incident: c }));
    expect(md.indexOf('## What changed against previous week')).toBeLessThan(md.indexOf('## Verdict'));
    expect(md).toContain('| login | timeout | 5 | 12 | ×2.4 | login failed |');
  });

  test('the same groups in both windows: nothing changed', () => {
    const doc = sampleDocument({ errorGroups: [g('a', 'x', 3)] });
    const c = incidentChanges(doc, [g('a', 'x', 3)]);
    expect(c.nothing).toBe(true);
    expect(renderHtml(buildViewModel(doc, { incident: c }))).toContain('No change with an onset, no new error groups (absent from both windows compared), no error group that grew, no operation that slowed.');
  });
});
