import { printable } from '../display/printable.js';

/** Colour only on a TTY; NO_COLOR turns it off, FORCE_COLOR on (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return !!stream.isTTY;
}

export type Paint = (s: string) => string;

export interface Palette {
  bold: Paint;
  dim: Paint;
  red: Paint;
  yellow: Paint;
  green: Paint;
}

const plain: Paint = (s) => s;
const sgr = (open: number, close: number): Paint => (s) => `\x1b[${open}m${s}\x1b[${close}m`;

export function palette(color: boolean): Palette {
  if (!color) return { bold: plain, dim: plain, red: plain, yellow: plain, green: plain };
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39) };
}

/** Messages for people go to stderr; stdout carries only data. File and operation names in them are shown, not obeyed. */
export function note(quiet: boolean, msg: string): void {
  if (!quiet) process.stderr.write(printable(msg, '\n') + '\n');
}
