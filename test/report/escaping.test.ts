import { describe, expect, test } from 'vitest';
import { renderHtml } from '../../src/report/render-html.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { buildViewModel } from '../../src/report/view-model.js';
import { FROM, group, sampleDocument } from './sample-document.js';

const SCRIPT = '<script>alert(1)</script>';
const MUSTACHE = '{{constructor}}';
const PIPE = 'a|b';
const NEWLINE = 'line one\nline two';
const BACKSLASH = 'C:\\temp\\x';

/** A document whose operation names, messages, categories, sources and rule texts all come from a hostile log. */
function hostileDoc() {
  const doc = sampleDocument();
  doc.operations = [SCRIPT, MUSTACHE, PIPE, NEWLINE, BACKSLASH].map((op, i) => group(op, { count: 100 - i }));
  doc.errorCategories = [{ category: `<img src=x onerror=alert(2)>`, count: 3, share: 1, ops: [{ op: SCRIPT, count: 3 }] }];
  doc.errorGroups = [
    { op: PIPE, category: 'timeout', fingerprint: 'x', count: 3, firstSeen: FROM, lastSeen: FROM, example: `${SCRIPT} ${MUSTACHE} | ${NEWLINE}`, code: '{{#each}}' },
  ];
  doc.coverage.sources = [`<b>src</b>`, '{{> styles}}'];
  doc.slowest = [{ ts: FROM, op: NEWLINE, source: SCRIPT, durationMs: 10, ok: true }];
  doc.recommendations[0] = { ...doc.recommendations[0], title: `slow ${SCRIPT}`, evidence: [`p95 of ${PIPE}`], action: `restart ${MUSTACHE}`, ops: [SCRIPT] };
  doc.verdict.summary = `${SCRIPT} got slower`;
  return doc;
}

describe('HTML escapes everything that came from a log', () => {
  const html = renderHtml(buildViewModel(hostileDoc()));

  test('no tag from the data survives', () => {
    expect(html).not.toContain(SCRIPT);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>src</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;');
    // The only <script> in the page would be ours, and there is none: the report needs no JavaScript.
    expect(html).not.toMatch(/<script/i);
  });

  test('mustaches in the data are printed, not interpreted', () => {
    expect(html).toContain('{{constructor}}');
    expect(html).toContain('{{#each}}');
    expect(html).toContain('{{&gt; styles}}');
  });

  test('templates never use triple-stash for data', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { DEFAULT_TEMPLATE_DIR } = await import('../../src/report/load-template.js');
    const files = [...fs.readdirSync(DEFAULT_TEMPLATE_DIR), ...fs.readdirSync(path.join(DEFAULT_TEMPLATE_DIR, 'partials')).map((f) => `partials/${f}`)]
      .filter((f) => f.endsWith('.hbs'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(fs.readFileSync(path.join(DEFAULT_TEMPLATE_DIR, f), 'utf8'), f).not.toContain('{{{');
  });
});

describe('Markdown escapes everything that came from a log', () => {
  const md = renderMarkdown(buildViewModel(hostileDoc()));
  const lines = md.split('\n');

  test('a pipe or a newline cannot break a table row', () => {
    const opRows = lines.filter((l) => l.startsWith('| ') && / \| (100|99|98|97|96) \| /.test(l));
    expect(opRows).toHaveLength(5);
    // Every table row of a table has as many unescaped pipes as its header.
    const header = lines.find((l) => l.startsWith('| Operation | Events'))!;
    const cells = (l: string) => l.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length;
    for (const row of opRows) expect(cells(row), row).toBe(cells(header));
    expect(md).toContain('a\\|b');
    expect(md).toContain('line one line two');
    expect(md).not.toContain('line one\nline two');
  });

  test('backslashes, angle brackets and backticks are escaped', () => {
    expect(md).toContain('C:\\\\temp\\\\x');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
    // An angle bracket only ever appears escaped.
    expect(md).not.toMatch(/(?<!\\)</);
  });

  test('mustaches in the data are printed, not interpreted', () => {
    expect(md).toContain('restart {{constructor}}');
    expect(md).toContain('{{constructor}} \\| line one line two');
  });
});
