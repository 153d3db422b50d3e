/** The rows of an answer as one array of values per column, in the order of `names`. */
export interface Columns {
  names: string[];
  columns: unknown[][];
}

/** Rows as objects keyed by column name, built from an answer's columns. */
export function rowsOf<T>({ names, columns }: Columns): T[] {
  const n = columns.length ? columns[0].length : 0;
  const out: T[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) row[names[c]] = columns[c][i];
    out[i] = row as T;
  }
  return out;
}
