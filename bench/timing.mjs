// Shared by the scenarios: run a command as a user does (a new process), time it, and take medians.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
export const BIN = path.join(here, '..', 'dist', 'cli', 'main.js');
const RSS_HOOK = path.join(here, 'peak-rss-hook.mjs');

/**
 * Runs `node [args]` to its end: wall time in ms and the process's peak RSS in MB (worker threads included; read
 * by a preloaded hook at exit). Throws with the child's stderr when it fails.
 */
export function runNode(args, { input } = {}) {
  const rssFile = path.join(os.tmpdir(), `oplens-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', RSS_HOOK, ...args], {
    env: { ...process.env, OPLENS_BENCH_RSS_FILE: rssFile }, input, encoding: 'utf8', maxBuffer: 1 << 28,
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  let peakRssMb = null;
  if (fs.existsSync(rssFile)) {
    peakRssMb = Number(fs.readFileSync(rssFile, 'utf8'));
    fs.rmSync(rssFile);
  }
  return { ms, peakRssMb, stdout: r.stdout, stderr: r.stderr };
}

/** `oplens ARGS` as a user runs it, timed from process start to exit. */
export function runOplens(args) {
  return runNode([BIN, ...args]);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Calls fn() `runs` times; the median and all times (ms), rounded. */
export async function repeat(runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await fn(i));
  return { medianMs: Math.round(median(times)), runsMs: times.map(Math.round) };
}

export const seconds = (ms) => +(ms / 1000).toFixed(3);
export const ratio = (a, b) => +(a / b).toFixed(2);
