import { printable } from '../display/printable.js';

let colorFlag: boolean | undefined;

/** `--color` / `--no-color`, set once before a command prints. */
export function setColorFlag(flag: boolean | undefined): void {
  colorFlag = flag;
}

/**
 * Whether to colour: `--color` / `--no-color` first, then NO_COLOR (off, https://no-color.org) and FORCE_COLOR
 * (on), then TERM=dumb (off), else only on a terminal.
 */
export function useColor(stream: Pick<NodeJS.WriteStream, 'isTTY'> = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (colorFlag !== undefined) return colorFlag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.TERM === 'dumb') return false;
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
