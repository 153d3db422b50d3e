// The benchmark's inputs, generated from a fixed seed into bench/out/ on first use and reused by later runs.
// Every input starts 2026-11-09 00:00Z with a 50 ms mean gap between events (10M events span ~5.8 days).
import fs from 'node:fs';
import path from 'node:path';
import { generateLines, writeLog, writeMixedLogs } from '../fixtures/generate-log.mjs';

export const GAP_MS = 50;

/**
 * kind: 'uniform' (one native file, one shape), 'mixed' (a directory of seven writers' files: native versions with
 * varying aliases and key order, the seed systems' shapes, an nginx access log) or 'many-ops' (native, each of the
 * six operations split into 50,000 names). Returns { kind, lines, paths (what to ingest), files (every file) }.
 */
export async function input(out, kind, lines) {
  const name = path.join(out, `${kind}-${lines}`);
  if (kind === 'mixed') {
    if (!fs.existsSync(path.join(name, '.complete'))) {
      fs.rmSync(name, { recursive: true, force: true });
      await writeMixedLogs(name, { seed: 42, count: lines, gapMs: GAP_MS });
      fs.writeFileSync(path.join(name, '.complete'), '');
    }
    const files = fs.readdirSync(name).filter((f) => !f.startsWith('.')).sort().map((f) => path.join(name, f));
    return { kind, lines, paths: [name], files };
  }
  const file = `${name}.jsonl`;
  if (!fs.existsSync(file)) {
    const opts = { seed: 42, count: lines, gapMs: GAP_MS, ...(kind === 'many-ops' ? { distinctOps: 50_000 } : {}) };
    await writeLog(`${file}.part`, opts);
    fs.renameSync(`${file}.part`, file);
  }
  return { kind, lines, paths: [file], files: [file] };
}

/** `count` native lines that continue an input of `after` lines (same seed family, timestamps after its last). */
export function continuation(after, count, seed) {
  const last = lastTimestamp(after);
  let s = '';
  for (const line of generateLines({ seed, count, gapMs: GAP_MS, startMs: last })) s += line;
  return s;
}

function lastTimestamp(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, 4096));
    fs.readSync(fd, buf, 0, buf.length, size - buf.length);
    const lines = buf.toString('utf8').trimEnd().split('\n');
    return Date.parse(JSON.parse(lines[lines.length - 1]).timestamp);
  } finally {
    fs.closeSync(fd);
  }
}
