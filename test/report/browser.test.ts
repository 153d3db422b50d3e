import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildViewModel } from '../../src/report/view-model.js';
import { renderHtml } from '../../src/report/render-html.js';
import { writeReports } from '../../src/report/write-reports.js';
import { analyzeDemoWeek } from './demo-week.js';
import { group, sampleDocument } from './sample-document.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = path.join(import.meta.dirname, '../../test-output/report-browser');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

let browser: Browser;
let reportFile: string;
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
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
afterAll(async () => {
  await browser?.close();
  if (demoDir) fs.rmSync(demoDir, { recursive: true, force: true });
});

/** Opens a file and records every request the page makes and every console error or uncaught exception. */
async function open(file: string, o: { colorScheme?: 'light' | 'dark'; javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, colorScheme: o.colorScheme ?? 'light', javaScriptEnabled: o.javaScriptEnabled ?? true });
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

/** For each chart: its shapes, and how many of them have a visible size. */
const chartShapes = (page: Page) => page.$$eval('svg.chart', (svgs) => svgs.map((svg) => {
  const shapes = [...svg.querySelectorAll('path, rect, circle')] as SVGGraphicsElement[];
  return { id: svg.getAttribute('aria-labelledby'), shapes: shapes.length, visible: shapes.filter((s) => { const b = s.getBBox(); return b.width > 0 && b.height > 0; }).length };
}));

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
