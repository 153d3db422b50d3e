import { escapeChar, hasActingChars, printable } from './printable.js';

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One shell word that stands for exactly `s` when pasted into bash, zsh or a POSIX sh. Plain words stay as they
 * are; anything else goes in single quotes, where nothing is special but the quote itself, written `'\''`. A
 * string with control or bidi characters uses bash/zsh `$'…'` quoting instead, so that what is shown is printable
 * and still means the same bytes.
 */
export function shellQuote(s: string): string {
  if (PLAIN.test(s)) return s;
  if (!hasActingChars(s)) return `'${s.replace(/'/g, `'\\''`)}'`;
  return `$'${printable(s.replace(/[\\']/g, (c) => `\\${c}`), '', utf8Bytes)}'`;
}

/** In `$'…'`, `\xHH` is one byte, so a character above U+007F is written as its UTF-8 bytes. */
function utf8Bytes(c: string): string {
  return c.charCodeAt(0) <= 0x7f ? escapeChar(c) : [...Buffer.from(c, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
}

/** An oplens command line with each argument quoted. */
export function oplensCommand(...args: string[]): string {
  return ['oplens', ...args.map(shellQuote)].join(' ');
}
