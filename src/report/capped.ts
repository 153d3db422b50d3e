import { formatCount } from '../display/format-units.js';

/**
 * A long list cut to its first rows, with what was left out said in words ("top 25 of 500, 475 more"), so that
 * a window with thousands of operations or error groups still gives a small report.
 */
export interface Capped<T> {
  rows: T[];
  total: number;
  more: number;
  /** "top 25 of 500, 475 more", or "" when nothing was cut. */
  note: string;
}

export function capList<T>(items: readonly T[], limit: number): Capped<T> {
  const rows = items.slice(0, limit);
  const more = items.length - rows.length;
  return {
    rows,
    total: items.length,
    more,
    note: more > 0 ? `top ${rows.length} of ${formatCount(items.length)}, ${formatCount(more)} more` : '',
  };
}
