import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { OplensError } from '../../src/errors.js';
import { renderHtml } from '../../src/report/render-html.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { buildViewModel } from '../../src/report/view-model.js';
import { writeReports } from '../../src/report/write-reports.js';
import { sampleDocument } from './sample-document.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oplens-tpl-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const model = () => buildViewModel(sampleDocument());
const error = (f: () => unknown): OplensError => {
  try {
    f();
  } catch (e) {
    return e as OplensError;
  }
  throw new Error('expected an error');
};

describe('--template DIR overrides templates file by file', () => {
  test('a partial in DIR/partials replaces the shipped one; the rest stays', () => {
    fs.mkdirSync(path.join(dir, 'partials'));
    fs.writeFileSync(path.join(dir, 'partials', 'method.html.hbs'), '<section id="method"><p>Team method: {{method.percentiles}}</p></section>');
    const html = renderHtml(model(), dir);
    expect(html).toContain('<p>Team method: sketch</p>');
    expect(html).not.toContain('<h2>Method</h2>');
    expect(html).toContain('<h2>Key numbers</h2>');
  });

  test('a main template in DIR replaces the shipped one and can use shipped partials', () => {
    fs.writeFileSync(path.join(dir, 'report.md.hbs'), 'Custom {{title}}\n{{#each operations.rows}}- {{op}} {{> change p95Change}}\n{{/each}}');
    const md = renderMarkdown(buildViewModel(sampleDocument({ operations: [{ ...sampleDocument().operations[0], op: 'a|b' }] })), dir);
    expect(md).toBe('Custom oplens report 2026-11-09 00:00Z – 2026-11-16 00:00Z (7 d)\n- a\\|b —\n');
  });

  test('a missing directory is a clear error', () => {
    const e = error(() => renderHtml(model(), path.join(dir, 'nope')));
    expect(e).toBeInstanceOf(OplensError);
    expect(e.message).toBe(`--template ${path.join(dir, 'nope')}: directory not found`);
  });

  test('a broken template names its file and line, and nothing is written', () => {
    fs.mkdirSync(path.join(dir, 'partials'));
    const file = path.join(dir, 'partials', 'verdict.html.hbs');
    fs.writeFileSync(file, '<p>\n{{#if verdict}}\nunclosed\n');
    const out = path.join(dir, 'out');
    const e = error(() => writeReports(sampleDocument(), { formats: ['md', 'html'], out, templateDir: dir, baseName: 'x' }));
    expect(e).toBeInstanceOf(OplensError);
    expect(e.message).toMatch(new RegExp(`^template ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is broken: Parse error on line 4`));
    expect(fs.existsSync(out)).toBe(false);
  });

  test('a template that calls a missing partial names the template', () => {
    fs.writeFileSync(path.join(dir, 'report.html.hbs'), '<p>{{> no-such-partial}}</p>');
    const e = error(() => renderHtml(model(), dir));
    expect(e.message).toBe(`template ${path.join(dir, 'report.html.hbs')}: The partial no-such-partial could not be found`);
  });

  test('DIR that is a file is refused', () => {
    const file = path.join(dir, 'f');
    fs.writeFileSync(file, '');
    expect(error(() => renderMarkdown(model(), file)).message).toBe(`--template ${file}: not a directory`);
  });
});

describe('shipped templates run precompiled', () => {
  test('the build precompiles them: no compiler is loaded, and the output is what compiling their text gives', async () => {
    const { DEFAULT_TEMPLATE_DIR, loadTemplate } = await import('../../src/report/load-template.js');
    // Copies of the shipped files in --template DIR are compiled from their text, like any team's own.
    fs.cpSync(DEFAULT_TEMPLATE_DIR, dir, { recursive: true });
    for (const format of ['html', 'md'] as const) {
      expect(loadTemplate(format).env.precompile, format).toBeUndefined();
      expect(loadTemplate(format, dir).env.precompile, format).toBeTypeOf('function');
    }
    const m = model();
    expect(renderHtml(m)).toBe(renderHtml(m, dir));
    expect(renderMarkdown(m)).toBe(renderMarkdown(m, dir));
  });
});
