import { HandlebarsRuntime as Handlebars } from './handlebars-runtime.js';
import { printable } from '../display/printable.js';

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
  return printable(s.replace(/\r\n?|\n/g, ' '), '\t').replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/**
 * `s` as one Markdown code span, shown exactly: fenced by a backtick run longer than any inside it, and padded with
 * a space when it starts or ends with a backtick (CommonMark strips one such space from each side).
 */
export function markdownCodeSpan(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || (s.startsWith(' ') && s.endsWith(' ') && s.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${s.replace(/\r\n?|\n/g, ' ')}${pad}${fence}`;
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

/**
 * Log text made presentable: control, bidi and invisible characters (ANSI colour codes, NUL, bell, U+202E) shown as
 * escapes, since they mean nothing in a report and can confuse terminals and viewers; tabs and newlines stay, each
 * format decides how to show them. Capped at `max` characters with an ellipsis.
 */
export function cleanLogText(s: string, max = 300): string {
  const t = printable(s, '\t\n\r');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
