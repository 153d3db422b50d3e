import { ConfigError } from '../errors.js';

/** One thing wrong in a config: `thresholds[2].warning: expected a number, got "fast"`, with an optional hint. */
export interface ConfigProblem {
  /** Key path such as `thresholds[2].warning`. */
  path: string;
  /** What is wrong, after the key path: `expected a number, got "fast"` or `unknown key`. */
  text: string;
  hint?: string;
}

export function expected(path: string, what: string, got: unknown, hint?: string): ConfigProblem {
  return { path, text: `expected ${what}, got ${show(got)}`, ...(hint ? { hint } : {}) };
}

/**
 * Every problem at once, so a config is fixed in one round: one problem is one line and its hint, several are
 * a count and a line each.
 */
export function configProblemsError(problems: ConfigProblem[], file: string | undefined): ConfigError {
  if (problems.length === 1) {
    const [p] = problems;
    return new ConfigError(`config ${p.path}: ${p.text}`, p.hint);
  }
  const lines = problems.map((p) => `  ${p.path}: ${p.text}${p.hint ? ` (${p.hint})` : ''}`);
  return new ConfigError(
    `config${file ? ` ${file}` : ''} has ${problems.length} problems:\n${lines.join('\n')}`,
    'oplens.schema.json describes every key; point your editor at it with "$schema"',
  );
}

export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/** The option closest to a mistyped word, when it is close enough to be what was meant. */
export function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) [best, bestD] = [o, d];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
