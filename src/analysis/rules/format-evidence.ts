import { formatCount, formatMinute, formatSignificant } from '../../display/format-units.js';
import type { AnalysisWindow } from '../analysis-document.js';

// Numbers and times are written as everywhere else (src/format/format-units.ts); these add what evidence needs.

export function fmtMb(mb: number): string {
  return `${formatCount(mb)} MB`;
}

/** `12.5×` */
export function fmtRatio(x: number): string {
  return `${formatSignificant(x)}×`;
}

/** `2026-11-12T14:00Z`: a time as the CLI's --at/--since flags take it. */
export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + 'Z';
}

/** `2026-11-09 00:00Z – 2026-11-16 00:00Z` */
export function fmtWindow(w: AnalysisWindow): string {
  return `${formatMinute(w.fromMs)} – ${formatMinute(w.toMs)}`;
}

/** An error message cut to a length that fits on one evidence line, in quotes. */
export function fmtExample(message: string, max = 90): string {
  const one = message.replace(/\s+/g, ' ').trim();
  return `"${one.length > max ? one.slice(0, max - 1) + '…' : one}"`;
}
