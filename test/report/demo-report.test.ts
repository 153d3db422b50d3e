import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AnalysisDocument } from '../../src/analysis/analysis-document.js';
import { writeReports } from '../../src/report/write-reports.js';
import { analyzeDemoWeek, parseShownDuration, percentile, rawDemoEvents, W46, type RawEvent } from './demo-week.js';

let doc: AnalysisDocument;
let dir: string;
let html: string;
let md: string;
let raw: RawEvent[];

beforeAll(async () => {
  ({ doc, dir } = await analyzeDemoWeek());
  const [h, m] = writeReports(doc, { formats: ['html', 'md'], out: `${dir}/reports`, baseName: 'oplens-2026-W46' });
  html = fs.readFileSync(h, 'utf8');
  md = fs.readFileSync(m, 'utf8');
  raw = rawDemoEvents(W46.fromMs, W46.toMs);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The cells of the Markdown table row whose first cell is `first`. */
function mdRow(first: string): string[] {
  const line = md.split('\n').find((l) => l.startsWith(`| ${first} |`));
  if (!line) throw new Error(`no Markdown row for ${first}`);
  return line.slice(2, -2).split(' | ');
}

/** The cells of the HTML table row whose first cell is `first`, tags stripped. */
function htmlRow(first: string, section: string): string[] {
  const part = html.slice(html.indexOf(`<section id="${section}"`));
  const row = part.slice(0, part.indexOf('</section>')).split('<tr>').find((r) => r.startsWith(`<td>${first}</td>`) || r.startsWith(`<td class="name">${first}</td>`));
  if (!row) throw new Error(`no HTML row for ${first} in ${section}`);
  return [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''));
}

const count = (s: string) => Number(s.replace(/,/g, ''));

/** HTML text escaping as the HTML spec's serializer and Handlebars do it (& < > " ' ` =). */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
const htmlText = (s: string) => s.replace(/[&<>"'`=]/g, (c) => ENTITIES[c]);

describe('the demo week rendered as HTML and Markdown', () => {
  test('the fixture is what the report says: events counted from the raw files', () => {
    expect(doc.overall.count).toBe(raw.length);
    expect(count(mdRow('Events')[1])).toBe(raw.length);
    expect(count(htmlRow('Events', 'kpis')[1])).toBe(raw.length);
  });

  test('per operation: counts from the raw files, p95 within the sketch bound of the exact p95', () => {
    const ops = [...new Set(raw.map((e) => e.op))];
    expect(doc.operations).toHaveLength(ops.length);
    for (const op of ops) {
      const events = raw.filter((e) => e.op === op);
      const exact = percentile(events.map((e) => e.durationMs), 0.95);
      // Markdown: operation, events, success, p50, p95 …; HTML: operation, events, share, success, p50, p95 …
      for (const [cells, p95Column] of [[mdRow(op), 4], [htmlRow(htmlText(op), 'operations'), 5]] as const) {
        expect(count(cells[1]), op).toBe(events.length);
        // Sketch error ≤ 1 % plus 3-significant-digit rounding (≤ 0.5 %).
        const shown = parseShownDuration(cells[p95Column]);
        expect(Math.abs(shown - exact) / exact, `${op} p95 ${shown} vs ${exact}`).toBeLessThan(0.016);
      }
    }
  });

  test('the KPI table matches the analysis JSON', () => {
    const p95 = parseShownDuration(mdRow('p95 latency')[1]);
    expect(Math.abs(p95 - doc.overall.p95!) / doc.overall.p95!).toBeLessThan(0.005);
    const success = Number(mdRow('Success rate')[1].replace(' %', '')) / 100;
    expect(Math.abs(success - doc.overall.successRate)).toBeLessThan(0.0005);
    // The week before (2026-W45), counted from the raw files, and the p95 change shown against it.
    const before = rawDemoEvents(W46.fromMs - 7 * 86_400_000, W46.fromMs);
    expect(count(mdRow('Events')[2])).toBe(before.length);
    const exactBefore = percentile(before.map((e) => e.durationMs), 0.95);
    expect(Math.abs(parseShownDuration(mdRow('p95 latency')[2]) - exactBefore) / exactBefore).toBeLessThan(0.016);
    expect(mdRow('p95 latency')[3]).toMatch(/^↑ \+\d+(\.\d+)? % \(worse\)$/);
  });

  test('error categories and groups match the analysis JSON', () => {
    expect(doc.errorCategories.length).toBeGreaterThan(0);
    for (const c of doc.errorCategories) {
      const cells = htmlRow(htmlText(c.category), 'errors');
      expect(count(cells[1]), c.category).toBe(c.count);
    }
    const failures = raw.filter((e) => !e.ok).length;
    expect(doc.errorCategories.reduce((s, c) => s + c.count, 0)).toBe(failures);
    for (const g of doc.errorGroups.slice(0, 20)) expect(html).toContain(htmlText(g.example));
  });

  test('every section is there', () => {
    for (const id of ['verdict', 'coverage', 'kpis', 'thresholds', 'charts', 'operations', 'errors', 'trends', 'recommendations', 'data-quality', 'method']) {
      expect(html, id).toContain(`<section id="${id}"`);
    }
    for (const h of ['## Verdict', '## Top recommendations', '## Key numbers', '## Over time', '## Per operation', '## Error categories', '## Top error groups', '## Data quality', '## Method']) {
      expect(md, h).toContain(`\n${h}`);
    }
    // Four charts, each drawn wide (desktop, print) and narrow (phones).
    expect(html.match(/<svg [^>]*class="chart wide"/g)).toHaveLength(4);
    expect(html.match(/<svg [^>]*class="chart narrow"/g)).toHaveLength(4);
    expect(md).toMatch(/\| p95 latency \| `[▁▂▃▄▅▆▇█]{7}` \|/);
  });

  test('recommendations are ranked with evidence and action', () => {
    expect(doc.recommendations.length).toBeGreaterThan(0);
    const ranked = [...doc.recommendations].sort((a, b) => b.score - a.score);
    const positions = ranked.map((r) => html.indexOf(htmlText(r.title), html.indexOf('<section id="recommendations"')));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(md).toContain(`1. **\\[${ranked[0].severity}\\] `);
    expect(md).toContain('_Action:_');
  });

  test('method and data quality', () => {
    expect(html).toContain('Percentiles: <strong>sketch</strong> (±1 % relative)');
    expect(count(htmlRow('Quarantined lines', 'data-quality')[1])).toBe(doc.dataQuality.quarantined);
    expect(doc.dataQuality.quarantined).toBe(2);
  });
});
