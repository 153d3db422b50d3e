import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { query, runCli, storedCount, tmpDir } from '../helpers/cli.js';

const DAY = Date.UTC(2026, 10, 20);

/** Fluent Bit / Vector / Filebeat put the pod's metadata before the event: every line starts with the same 1.3 KB. */
const K8S = JSON.stringify({
  kubernetes: {
    pod_name: 'api-7d9f8b6c5-x2k4q', namespace_name: 'prod', container_name: 'api', host: 'node-17',
    labels: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`label-${i}`, `value-${i}-${'x'.repeat(12)}`])),
    annotations: { 'checksum/config': 'f'.repeat(64), 'prometheus.io/scrape': 'true' },
  },
}).slice(0, -1);

function k8sLines(n: number, from: number): string {
  let out = '';
  for (let i = from; i < from + n; i++) out += `${K8S},"timestamp":${DAY + i * 1000},"operation":"op-${i}","duration":${(i % 90) + 1},"success":true}\n`;
  return out;
}

/** OpenTelemetry file-exporter lines: the same resource attributes first, then each batch's spans. */
function otelLines(batches: number, from: number): string {
  const resource = { attributes: Array.from({ length: 25 }, (_, i) => ({ key: `service.attr.${i}`, value: { stringValue: `v${i}-${'r'.repeat(20)}` } })) };
  let out = '';
  for (let b = 0; b < batches; b++) {
    const spans = [0, 1, 2].map((k) => {
      const i = from + b * 3 + k;
      const start = BigInt(DAY + i * 1000) * 1_000_000n;
      return { traceId: i.toString(16).padStart(32, '0'), spanId: i.toString(16).padStart(16, '0'), name: `span-${i}`, startTimeUnixNano: String(start), endTimeUnixNano: String(start + 5_000_000n), status: {} };
    });
    out += JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'app' }, spans }] }] }) + '\n';
  }
  return out;
}

/** Every line is its own operation: each counted exactly once. */
function expectEachOnce(db: string, lines: number) {
  const ops = query<{ n: number }>(db, 'SELECT sum(count) AS n FROM minute_stats GROUP BY op_id');
  expect(ops).toHaveLength(lines);
  expect(ops.every((o) => o.n === 1)).toBe(true);
}

function ingest(db: string, ...paths: string[]) {
  const r = runCli(['--db', db, 'ingest', ...paths]);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe('files whose lines start alike are told apart', () => {
  it('Kubernetes-shipped logs with a 1 KB+ metadata prefix: 1,000 + 1,000 + 1,500 lines are 3,500 events', () => {
    expect(K8S.length).toBeGreaterThan(1024);
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    fs.mkdirSync(path.join(dir, 'logs'));
    const sizes = [1000, 1000, 1500];
    sizes.forEach((n, k) => fs.writeFileSync(path.join(dir, 'logs', `pod-${k}.log`), k8sLines(n, k * 10_000)));
    ingest(db, path.join(dir, 'logs'));
    expect(storedCount(db)).toBe(3500);
    expectEachOnce(db, 3500);
    ingest(db, path.join(dir, 'logs'));
    expect(storedCount(db)).toBe(3500);
  });

  it('OpenTelemetry file-exporter files with the same resource attributes: 900 spans are 900 events', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    for (let k = 0; k < 3; k++) fs.writeFileSync(path.join(dir, `traces-${k}.jsonl`), otelLines(100, k * 1000));
    ingest(db, dir);
    expect(storedCount(db)).toBe(900);
  });

  it('cron ingest and logrotate: 200 read, 50 appended, renamed to .1, 300 new lines: 550 events, nothing quarantined', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, k8sLines(200, 0));
    ingest(db, dir);
    fs.appendFileSync(log, k8sLines(50, 200));
    fs.renameSync(log, `${log}.1`);
    fs.writeFileSync(log, k8sLines(300, 250));
    ingest(db, dir);
    expectEachOnce(db, 550);
    expect(query(db, 'SELECT * FROM quarantine')).toEqual([]);
    // The same when cron names only the live file: the rotated one is found by its inode.
    const dir2 = tmpDir();
    const db2 = path.join(dir2, 'db');
    const log2 = path.join(dir2, 'app.log');
    fs.writeFileSync(log2, k8sLines(200, 0));
    ingest(db2, log2);
    fs.appendFileSync(log2, k8sLines(50, 200));
    fs.renameSync(log2, `${log2}.1`);
    fs.writeFileSync(log2, k8sLines(300, 250));
    ingest(db2, log2);
    expect(storedCount(db2)).toBe(550);
  });

  it('logrotate with compress: the rest of a file read in part is read from its .gz, and no "disappeared" message', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, k8sLines(200, 0));
    ingest(db, dir);
    fs.appendFileSync(log, k8sLines(50, 200));
    fs.writeFileSync(`${log}.1.gz`, zlib.gzipSync(fs.readFileSync(log)));
    fs.rmSync(log);
    fs.writeFileSync(log, k8sLines(300, 250));
    const r = ingest(db, dir);
    expect(storedCount(db)).toBe(550);
    expect(r.stderr).not.toMatch(/disappeared|failed/);
  });

  it('a file deleted and recreated with the same first line (the inode may be reused) is read whole', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const log = path.join(dir, 'app.log');
    const first = k8sLines(1, 0);
    fs.writeFileSync(log, first + k8sLines(40, 1));
    ingest(db, log);
    fs.rmSync(log);
    fs.writeFileSync(log, first + k8sLines(60, 100));
    ingest(db, log);
    expect(storedCount(db)).toBe(41 + 61);
  });

  it('copytruncate whose copy is longer than what was read: the copy gives the rest, the truncated file is new', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'db');
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, k8sLines(200, 0));
    ingest(db, dir);
    fs.appendFileSync(log, k8sLines(50, 200));
    fs.copyFileSync(log, `${log}.1`);
    fs.truncateSync(log, 0);
    fs.appendFileSync(log, k8sLines(300, 250));
    ingest(db, dir);
    expectEachOnce(db, 550);
  });
});
