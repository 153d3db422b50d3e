import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AnalysisDocument } from '../../src/analysis/analysis-document.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { buildViewModel } from '../../src/report/view-model.js';
import { wrapMarkdown } from '../../src/report/wrap-markdown.js';
import { runCli, tmpDir } from '../helpers/cli.js';
import { analyzeDemoWeek } from './demo-week.js';
import { sampleDocument } from './sample-document.js';

/** Prose lines stay within 100 characters (and their hard-break spaces); table rows cannot wrap, but stay short. */
function tooLong(md: string): string[] {
  return md.split('\n').filter((l) => (l.startsWith('|') ? l.length > 500 : l.replace(/ {2}$/, '').length > 100));
}

let doc: AnalysisDocument;
let dir: string;
beforeAll(async () => {
  ({ doc, dir } = await analyzeDemoWeek());
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('Markdown lines stay readable in a ticket', () => {
  test('the demo week report', () => {
    const md = renderMarkdown(buildViewModel(doc));
    expect(tooLong(md)).toEqual([]);
    expect(md).toContain('   _Evidence:_\n   - ');
  });

  test('an incident report written by the CLI', () => {
    const out = tmpDir('oplens-md-lines-');
    const file = path.join(out, 'incident.md');
    const r = runCli(['--db', path.join(dir, 'demo.db'), 'incident', '--at', '2026-11-12T14:00Z', '--window', '2h', '--now', '2026-11-16T00:00:00Z', '--format', 'md', '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(tooLong(fs.readFileSync(file, 'utf8'))).toEqual([]);
  });

  test('long evidence, recommendations and actions are wrapped inside their list item', () => {
    const d = sampleDocument();
    const words = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');
    d.recommendations[0].evidence = [words(60, 'ev'), '- 1. # > not a block'];
    d.recommendations[0].recommendation = words(150, 'rec');
    d.recommendations[0].action = words(150, 'act');
    const md = renderMarkdown(buildViewModel(d));
    expect(tooLong(md)).toEqual([]);
    const item = md.slice(md.indexOf('1. **'), md.indexOf('## Key numbers'));
    // Every line of the item after its first is indented into it; the words all survive, in order.
    expect(item.trim().split('\n').slice(1).every((l) => /^ {3}/.test(l))).toBe(true);
    expect(item.replace(/\s+/g, ' ')).toContain(words(60, 'ev'));
    expect(item).toMatch(/\n {5}ev\d+/); // an evidence bullet continues past its "- "
  });
});

describe('wrapMarkdown', () => {
  test('breaks at spaces, keeps a hard break on the last piece, never starts a line with block syntax', () => {
    expect(wrapMarkdown('aaa bbb ccc ddd  ', 8)).toBe('aaa bbb\nccc ddd  ');
    expect(wrapMarkdown('1. aaa bbb ccc', 10)).toBe('1. aaa bbb\n   ccc');
    expect(wrapMarkdown('| a | b | c |', 5)).toBe('| a | b | c |');
    expect(wrapMarkdown('## a long heading', 5)).toBe('## a long heading');
    expect(wrapMarkdown('   - aaa bbb ccc', 10)).toBe('   - aaa\n     bbb\n     ccc');
    expect(wrapMarkdown('aaa - b # c 2. d', 4)).toBe('aaa -\nb #\nc 2.\nd');
    expect(wrapMarkdown('short', 100)).toBe('short');
    expect(wrapMarkdown('averyveryverylongword x', 5)).toBe('averyveryverylongword\nx');
  });
});
