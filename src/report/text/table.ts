import { printable } from '../../display/printable.js';

const SGR = /\x1b\[[0-9;]*m/g;

/** Columns padded to their widest cell (colour codes take no width); `right` lists right-aligned columns. */
export function table(rows: string[][], o: { right?: number[] } = {}): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, width(c))));
  const right = new Set(o.right ?? []);
  return rows.map((r) =>
    r
      .map((c, i) => {
        const pad = ' '.repeat(widths[i] - width(c));
        return right.has(i) ? pad + c : i === r.length - 1 ? c : c + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

function width(s: string): number {
  return [...s.replace(SGR, '')].length;
}

/** Log text on a terminal: control characters (an escape sequence in an error message) are shown, not obeyed. */
export function safe(s: string): string {
  return printable(s);
}
