import { ConfigError } from '../errors.js';

/** `thresholds[2].warning: expected a number, got "fast"` — every config error names the key path and the value. */
export function configError(keyPath: string, expected: string, got: unknown): ConfigError {
  return new ConfigError(`config ${keyPath}: expected ${expected}, got ${show(got)}`);
}

export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

export function expectObject(v: unknown, keyPath: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw configError(keyPath, 'an object', v);
  return v as Record<string, unknown>;
}

/** Unknown keys are errors, with the closest known key suggested. */
export function checkKeys(obj: Record<string, unknown>, known: readonly string[], keyPath: string): void {
  for (const k of Object.keys(obj)) {
    if (known.includes(k)) continue;
    const near = closest(k, known);
    throw new ConfigError(
      `config ${keyPath ? keyPath + '.' : ''}${k}: unknown key`,
      near ? `did you mean "${near}"? known keys: ${known.join(', ')}` : `known keys: ${known.join(', ')}`,
    );
  }
}

export function expectNumber(v: unknown, keyPath: string, opts: { min?: number; integer?: boolean } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw configError(keyPath, 'a number', v);
  if (opts.integer && !Number.isInteger(v)) throw configError(keyPath, 'a whole number', v);
  if (opts.min !== undefined && v < opts.min) throw configError(keyPath, `a number >= ${opts.min}`, v);
  return v;
}

export function expectString(v: unknown, keyPath: string, allowed?: readonly string[]): string {
  if (typeof v !== 'string') throw configError(keyPath, allowed ? `one of ${allowed.join(', ')}` : 'a string', v);
  if (allowed && !allowed.includes(v)) throw configError(keyPath, `one of ${allowed.join(', ')}`, v);
  return v;
}

function closest(word: string, options: readonly string[]): string | undefined {
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
