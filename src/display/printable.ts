/**
 * Characters that act instead of showing: C0 controls (ESC starts colour, OSC 8 hyperlinks, window titles), DEL, C1
 * controls (a one-byte CSI/OSC on some terminals), and the Unicode bidi and invisible-format controls that reorder
 * or hide text (a file name that reads backwards).
 */
const ACTING = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * Text from a log or a file name made safe to show: every acting character written as a visible escape (`\x1b`,
 * `\u202e`), except those in `keep` (a report keeps tabs and newlines and lays them out itself).
 */
export function printable(s: string, keep = '', escape: (c: string) => string = escapeChar): string {
  return s.replace(ACTING, (c) => (keep.includes(c) ? c : escape(c)));
}

/** Whether `s` holds a character that printable() rewrites. */
export function hasActingChars(s: string): boolean {
  ACTING.lastIndex = 0;
  const r = ACTING.test(s);
  ACTING.lastIndex = 0;
  return r;
}

export function escapeChar(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

const JSON_ACTING = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * JSON text whose acting characters are all `\u` escapes: the same values for a parser, nothing that acts when the
 * document is shown on a terminal (JSON.stringify escapes C0 controls but leaves C1 and bidi characters raw).
 */
export function jsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(JSON_ACTING, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
