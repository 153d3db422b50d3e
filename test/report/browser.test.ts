import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildViewModel } from '../../src/report/view-model.js';
import { renderHtml } from '../../src/report/render-html.js';
import { writeReports } from '../../src/report/write-reports.js';
import { runCli } from '../helpers/cli.js';
import { analyzeDemoWeek } from './demo-week.js';
import { group, sampleDocument } from './sample-document.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = path.join(import.meta.dirname, '../../test-output/report-browser');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

let browser: Browser;
let reportFile: string;
let incidentFile: string;
let demoDir: string;

beforeAll(async () => {
  // Never skipped: a missing browser is a failing test with the fix in the message (CI installs it).
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: the browser test needs Debian's chromium package (apt-get install chromium; .ci/run installs it)`);
  }
  fs.mkdirSync(OUT, { recursive: true });
  const { doc, dir } = await analyzeDemoWeek();
  demoDir = dir;
  [reportFile] = writeReports(doc, { formats: ['html'], out: OUT, baseName: 'oplens-2026-W46' });
  // An incident report as a user writes one: the built CLI on the same store, around the demo's Thursday slowdown.
  const r = runCli(['--db', path.join(dir, 'demo.db'), 'incident', '--at', '2026-11-12T14:00Z', '--window', '2h', '--now', '2026-11-16T00:00:00Z', '--format', 'html', '--out', path.join(OUT, 'incident.html')]);
  expect(r.code, r.stderr).toBe(0);
  incidentFile = path.join(OUT, 'incident.html');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
afterAll(async () => {
  await browser?.close();
  if (demoDir) fs.rmSync(demoDir, { recursive: true, force: true });
});

/** Opens a file and records every request the page makes and every console error or uncaught exception. */
async function open(file: string, o: { colorScheme?: 'light' | 'dark'; javaScriptEnabled?: boolean; width?: number } = {}) {
  const context = await browser.newContext({ viewport: { width: o.width ?? 1200, height: 900 }, colorScheme: o.colorScheme ?? 'light', javaScriptEnabled: o.javaScriptEnabled ?? true });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, requests, errors, dialogs, close: () => context.close() };
}

/** For each chart shown (each comes as a wide and a narrow drawing, one of them hidden): its shapes, and how many of them have a visible size. */
const chartShapes = (page: Page) => page.$$eval('svg.chart', (svgs) => svgs.filter((svg) => svg.getBoundingClientRect().width > 0).map((svg) => {
  const shapes = [...svg.querySelectorAll('path, rect, circle')] as SVGGraphicsElement[];
  return { id: svg.getAttribute('aria-labelledby'), shapes: shapes.length, visible: shapes.filter((s) => { const b = s.getBBox(); return b.width > 0 && b.height > 0; }).length };
}));

/**
 * What does not fit the screen: the page's scroll width against the viewport, every element reaching past the
 * viewport's right edge (unless it sits in a box that scrolls sideways), and every visible text under 10 px, HTML
 * by its computed font size and SVG by its font size times the scale the SVG is drawn at.
 */
const fitProblems = (page: Page) => page.evaluate(() => {
  const shown = (el: Element) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const inScroller = (el: Element) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.getAttribute('class') ? '.' + el.getAttribute('class')!.replace(/ /g, '.') : ''}`;
  const wide = [...document.body.querySelectorAll('*')]
    .filter((el) => shown(el) && el.getBoundingClientRect().right > innerWidth + 0.5 && !inScroller(el))
    .map((el) => `${describe(el)} right edge ${Math.round(el.getBoundingClientRect().right)} px`);
  const small: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement!;
    if (!n.textContent!.trim() || !shown(el)) continue;
    const text = el.closest('svg') ? (el.closest('text') as SVGTextElement | null) : null;
    if (el.closest('svg') && !text) continue; // <title>: a tooltip, not drawn
    let px = parseFloat(getComputedStyle(text ?? el).fontSize);
    if (text) {
      const m = text.getScreenCTM()!;
      px *= Math.hypot(m.a, m.b);
    }
    if (px < 10) small.push(`${px.toFixed(1)} px: ${n.textContent!.trim().slice(0, 40)}`);
  }
  return { scrollWidth: document.documentElement.scrollWidth, innerWidth, wide: wide.slice(0, 10), small: small.slice(0, 10), smallCount: small.length };
});

describe('the HTML report fits a phone and a desktop', () => {
  for (const width of [420, 1400]) {
    for (const which of ['demo', 'incident'] as const) {
      test(`${which} report at ${width} px: nothing wider than the screen, no text under 10 px`, async () => {
        const file = which === 'demo' ? reportFile : incidentFile;
        const v = await open(file, { width });
        try {
          const fit = await fitProblems(v.page);
          expect(fit.scrollWidth, JSON.stringify(fit.wide)).toBeLessThanOrEqual(fit.innerWidth);
          expect(fit.wide).toEqual([]);
          expect(fit.small).toEqual([]);
          // Every chart is shown in exactly one drawing, with its shapes.
          const charts = await chartShapes(v.page);
          expect(charts.map((c) => c.id!.replace('-narrow', ''))).toEqual(['chart-latency-title', 'chart-throughput-title', 'chart-errors-title', 'chart-categories-title']);
          for (const c of charts) expect(c.visible, c.id!).toBeGreaterThan(0);
          if (which === 'incident') {
            const markers = await v.page.$$eval('svg.chart line.marker-at', (ls) => ls.filter((l) => l.closest('svg')!.getBoundingClientRect().width > 0).length);
            expect(markers).toBe(3);
          }
          await v.page.screenshot({ path: path.join(OUT, `${which}-${width}.png`), fullPage: true });
        } finally {
          await v.close();
        }
      });
    }
  }
});

describe('the HTML report in headless Chromium', () => {
  test('loads nothing but itself, logs no errors, and draws its four charts', async () => {
    const v = await open(reportFile);
    try {
      expect(v.requests).toEqual([pathToFileURL(reportFile).href]);
      expect(v.errors).toEqual([]);
      const charts = await chartShapes(v.page);
      expect(charts.map((c) => c.id)).toEqual(['chart-latency-title', 'chart-throughput-title', 'chart-errors-title', 'chart-categories-title']);
      for (const c of charts) expect(c.visible, c.id!).toBeGreaterThan(0);
      expect(await v.page.getAttribute('svg.chart path.line.s2', 'd')).toMatch(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+)+$/);
      expect(await v.page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(255, 255, 255)');
      await v.page.screenshot({ path: path.join(OUT, 'oplens-2026-W46-light.png'), fullPage: true });
      // Print on A4: the print stylesheet applies and the PDF comes out.
      const pdf = await v.page.pdf({ format: 'A4', printBackground: true });
      fs.writeFileSync(path.join(OUT, 'oplens-2026-W46.pdf'), pdf);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await v.close();
    }
  });

  test('follows a dark colour scheme', async () => {
    const v = await open(reportFile, { colorScheme: 'dark' });
    try {
      expect(await v.page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(15, 20, 25)');
      await v.page.screenshot({ path: path.join(OUT, 'oplens-2026-W46-dark.png'), fullPage: true });
    } finally {
      await v.close();
    }
  });

  test('is readable without JavaScript', async () => {
    const v = await open(reportFile, { javaScriptEnabled: false });
    try {
      const text = await v.page.locator('body').innerText();
      for (const heading of ['Key numbers', 'Per operation', 'Errors', 'Recommendations', 'Method']) expect(text).toContain(heading);
      expect((await chartShapes(v.page)).length).toBe(4);
    } finally {
      await v.close();
    }
  });

  test('hostile operation names and messages do not run', async () => {
    const doc = sampleDocument();
    doc.operations = ['<script>alert(1)</script>', '<img src=x onerror=alert(2)>', '{{constructor}}', 'a|b\nc'].map((op) => group(op));
    doc.errorGroups[0].example = '<svg onload=alert(3)>';
    const file = path.join(OUT, 'hostile.html');
    fs.writeFileSync(file, renderHtml(buildViewModel(doc)));
    const v = await open(file);
    try {
      expect(v.dialogs).toEqual([]);
      expect(v.requests).toEqual([pathToFileURL(file).href]);
      expect(await v.page.locator('script, img, main svg:not(.chart)').count()).toBe(0);
      const ops = await v.page.locator('#operations td.name').allInnerTexts();
      expect(ops).toEqual(['<script>alert(1)</script>', '<img src=x onerror=alert(2)>', '{{constructor}}', 'a|b c']);
    } finally {
      await v.close();
    }
  });
});
