import type { ErrorGroupRow } from '../aggregate/rollup-rows.js';
import type { ErrorCategoryStat, ErrorGroupStat } from './analysis-document.js';

/** Error groups listed in the document; the categories still count every group. */
export const TOP_ERROR_GROUPS = 20;

/** Categories ranked by failures, each with its share of all failures and the operations it hit (most first). */
export function errorCategories(groups: readonly ErrorGroupRow[]): ErrorCategoryStat[] {
  const byCat = new Map<string, { count: number; ops: Map<string, number> }>();
  let total = 0;
  for (const g of groups) {
    const c = byCat.get(g.category) ?? byCat.set(g.category, { count: 0, ops: new Map() }).get(g.category)!;
    c.count += g.count;
    c.ops.set(g.op, (c.ops.get(g.op) ?? 0) + g.count);
    total += g.count;
  }
  return [...byCat.entries()]
    .map(([category, c]) => ({
      category,
      count: c.count,
      share: total > 0 ? c.count / total : 0,
      ops: [...c.ops.entries()].map(([op, count]) => ({ op, count })).sort((a, b) => b.count - a.count || (a.op < b.op ? -1 : 1)),
    }))
    .sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : 1));
}

/** The groups with the most failures (input already merged over hours and sorted by count). */
export function topErrorGroups(groups: readonly ErrorGroupRow[], n = TOP_ERROR_GROUPS): ErrorGroupStat[] {
  return groups.slice(0, n).map(toStat);
}

export function toStat(g: ErrorGroupRow): ErrorGroupStat {
  return {
    op: g.op, category: g.category, fingerprint: g.fingerprint, count: g.count, firstSeen: g.firstSeen,
    lastSeen: g.lastSeen, example: g.example, code: g.code,
  };
}
