import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { AnalysisDocument } from '../../src/analysis/analysis-document.js';
import { runCli, tmpDir } from '../helpers/cli.js';

const START = Date.UTC(2026, 10, 9);

describe('dimension values past dimensions.maxValues', () => {
  test('are folded, counted in dataQuality.foldedValues and named by a data-quality finding', () => {
    const dir = tmpDir();
    // 30 customers, 3 regions: with maxValues 4 only customer overflows.
    const lines = Array.from({ length: 600 }, (_, i) => JSON.stringify({
      timestamp: new Date(START + i * 60_000).toISOString(), operation: 'checkout', duration: 20 + (i % 7),
      customer: `c${i % 30}`, region: `r${i % 3}`, status: 200,
    }));
    fs.writeFileSync(path.join(dir, 'app.jsonl'), lines.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'caps.json'), JSON.stringify({ dimensions: { maxValues: 4 } }));
    const db = path.join(dir, 'app.db');
    expect(runCli(['--db', db, '--config', path.join(dir, 'caps.json'), 'ingest', path.join(dir, 'app.jsonl')]).code).toBe(0);
    const r = runCli(['--db', db, 'analyze', '--days', '1', '--now', new Date(START + 86_400_000).toISOString(), '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as AnalysisDocument;
    expect(Object.keys(doc.dataQuality.foldedValues ?? {})).toEqual(['customer']);
    expect(doc.dataQuality.foldedValues!.customer).toBeGreaterThan(0);
    const f = doc.recommendations.find((x) => x.title.includes('customer'))!;
    expect(f.category).toBe('data quality');
    expect(f.title).toContain('"(other values)"');
    expect(f.evidence.join(' ')).toContain('dimensions.maxValues');
    expect(doc.recommendations.filter((x) => x.title.includes('region'))).toEqual([]);
  });
});
