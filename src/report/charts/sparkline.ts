const BLOCKS = '▁▂▃▄▅▆▇█';

export interface Sparkline {
  /** One block character per group of `perChar` consecutive points; a space where a group has no value. */
  chars: string;
  perChar: number;
  min: number | null;
  max: number | null;
}

/**
 * A text sparkline for Markdown. Long series are folded into at most `maxChars` characters, each showing the
 * largest value of its group, so a short spike stays visible. The scale runs from zero to the series' max (all the
 * values oplens draws are zero or more), so 1.20 to 1.25 per minute stays a flat line at the top, not a full swing.
 */
export function sparkline(values: ReadonlyArray<number | null>, maxChars = 42): Sparkline {
  const perChar = Math.max(1, Math.ceil(values.length / maxChars));
  const groups: Array<number | null> = [];
  for (let i = 0; i < values.length; i += perChar) {
    let m: number | null = null;
    for (const v of values.slice(i, i + perChar)) if (v !== null && Number.isFinite(v) && (m === null || v > m)) m = v;
    groups.push(m);
  }
  const present = groups.filter((v): v is number => v !== null);
  if (present.length === 0) return { chars: ' '.repeat(groups.length), perChar, min: null, max: null };
  const min = Math.min(...present);
  const max = Math.max(...present);
  const low = Math.min(min, 0);
  const chars = groups
    .map((v) => {
      if (v === null) return ' ';
      // An all-zero series (no errors) is drawn low.
      if (max === low) return BLOCKS[0];
      return BLOCKS[Math.round(((v - low) / (max - low)) * (BLOCKS.length - 1))];
    })
    .join('');
  return { chars, perChar, min, max };
}
