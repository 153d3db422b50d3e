import { UsageError } from '../errors.js';
import type { Scope, StoreQueries } from '../store/queries.js';
import { matchOps } from './op-glob.js';

/** Resolves --op (a glob) and --source (a name) against the store; naming nothing it holds is a usage error. */
export function resolveScope(q: StoreQueries, op?: string, source?: string): Scope {
  let ops: string[] | null = null;
  if (op !== undefined) {
    const known = q.operations();
    ops = matchOps(op, known);
    if (ops.length === 0) throw new UsageError(`--op: "${op}" matches no operation in the store`, `known operations: ${listing(known)}`);
  }
  if (source !== undefined) {
    const known = q.sources();
    if (!known.includes(source)) throw new UsageError(`--source: no source named "${source}" in the store`, `known sources: ${listing(known)}`);
  }
  return { ops, source: source ?? null };
}

export function listing(names: readonly string[], max = 10): string {
  if (names.length === 0) return 'none (run oplens ingest first)';
  return names.slice(0, max).join(', ') + (names.length > max ? `, … (${names.length - max} more)` : '');
}
