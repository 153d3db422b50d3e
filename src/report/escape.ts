import Handlebars from 'handlebars';

/**
 * Escaping for text that came from a log (operation names, messages, sources, categories). HTML templates get it
 * from Handlebars' `{{ }}`; the SVG charts we build by hand and the Markdown model use these functions.
 */

/** The same escaping Handlebars applies to `{{ }}` (& < > " ' ` =), safe in text and quoted attributes. */
export const escapeHtml: (s: string) => string = Handlebars.Utils.escapeExpression;

// Characters that start Markdown syntax anywhere in a line (emphasis, code, links, raw HTML, table cells,
// strikethrough), plus the backslash itself. Line-start syntax (#, -, 1.) cannot occur: data never starts a line.
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|~]/g;

/** Text for a GitHub-flavoured Markdown line or table cell: specials backslash-escaped, newlines made spaces. */
export function escapeMarkdown(s: string): string {
  return s.replace(/\r\n?|\n/g, ' ').replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/** A copy of a plain data tree with every string passed through `escape` (numbers, booleans and null kept). */
export function mapStrings<T>(value: T, escape: (s: string) => string): T {
  if (typeof value === 'string') return escape(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, escape)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, escape);
    return out as T;
  }
  return value;
}

// Control characters (ANSI colour codes, NUL, bell …) mean nothing in a report and can confuse terminals and
// viewers; tabs and newlines stay, each format decides how to show them.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Log text made presentable: control characters dropped, capped at `max` characters with an ellipsis. */
export function cleanLogText(s: string, max = 300): string {
  const t = s.replace(CONTROL, '');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
