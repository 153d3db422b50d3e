import { expect } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** Comparing a fleet's analysis documents with a local store's. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = any;

export function analyzeJson(db: string, args: string[], now: string): Doc {
  const r = runCli(['--db', db, 'analyze', ...args, '--now', now, '--format', 'json']);
  if (r.code !== 0) throw new Error(`analyze ${args.join(' ')} on ${db}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * Equal to the last digit, except sums of floating-point durations (means, and what is derived from them), which
 * the engines add up in another order: those agree to 1e-9 relative.
 */
export function expectSameDocument(actual: Doc, expected: Doc, label: string): void {
  const diffs: string[] = [];
  // The last ingest's wall-clock time: the hosts' stores and the combined one were filled seconds apart.
  const wallClock = new Set(['.dataQuality.futureAfter']);
  const walk = (a: unknown, e: unknown, at: string) => {
    if (wallClock.has(at)) {
      if (!(typeof a === 'number' && typeof e === 'number' && Math.abs(a - e) < 10 * 60_000)) diffs.push(`${at}: ${a} far from ${e}`);
      return;
    }
    if (typeof e === 'number' && typeof a === 'number') {
      const same = Number.isInteger(e) ? a === e : Math.abs(a - e) <= 1e-9 * Math.max(Math.abs(e), 1e-9);
      if (!same) diffs.push(`${at}: ${a} != ${e}`);
    } else if (e && typeof e === 'object' && a && typeof a === 'object') {
      const keys = new Set([...Object.keys(e), ...Object.keys(a)]);
      for (const k of keys) walk((a as Record<string, unknown>)[k], (e as Record<string, unknown>)[k], `${at}.${k}`);
    } else if (a !== e) {
      // Text that prints a mean may differ in its last printed digit only where the number itself does.
      if (!(typeof a === 'string' && typeof e === 'string' && a.replace(/\d+\.\d+/g, 'N') === e.replace(/\d+\.\d+/g, 'N'))) diffs.push(`${at}: ${JSON.stringify(a)} != ${JSON.stringify(e)}`);
    }
  };
  walk(actual, expected, '');
  expect(diffs, label).toEqual([]);
}

/** Linear interpolation between closest ranks (numpy's default). */
export function quantile(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}
