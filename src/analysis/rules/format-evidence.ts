import { formatMinute } from '../../format/format-units.js';
import type { AnalysisWindow } from '../analysis-document.js';

/** Evidence lines are read by people: durations in ms/s/min, rates in %, counts with thousands separators. */

/** `0.42 ms`, `45.3 ms`, `412 ms`, `31.2 s`, `2.5 min`, `1.4 h`. */
export function fmtMs(ms: number): string {
  if (ms < 1000) return `${sig3(ms)} ms`;
  if (ms < 60_000) return `${sig3(ms / 1000)} s`;
  if (ms < 3_600_000) return `${sig3(ms / 60_000)} min`;
  return `${sig3(ms / 3_600_000)} h`;
}

/** A fraction as a percentage: `82.4 %`, `99.95 %`, `0.35 %`, `100 %`. Two decimals near 0 and 100 %. */
export function fmtPct(fraction: number): string {
  const p = fraction * 100;
  const digits = p < 1 || p > 99 ? 2 : 1;
  return `${trimZeros(p.toFixed(digits))} %`;
}

export function fmtCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtMb(mb: number): string {
  return `${fmtCount(mb)} MB`;
}

/** `12.5×` */
export function fmtRatio(x: number): string {
  return `${sig3(x)}×`;
}

export function fmtTime(ms: number): string {
  return formatMinute(ms);
}

/** `2026-11-12T14:00Z`: a time as the CLI's --at/--since flags take it. */
export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + 'Z';
}

/** `2026-11-09 00:00Z – 2026-11-16 00:00Z` */
export function fmtWindow(w: AnalysisWindow): string {
  return `${fmtTime(w.fromMs)} – ${fmtTime(w.toMs)}`;
}

/** An error message cut to a length that fits on one evidence line, in quotes. */
export function fmtExample(message: string, max = 90): string {
  const one = message.replace(/\s+/g, ' ').trim();
  return `"${one.length > max ? one.slice(0, max - 1) + '…' : one}"`;
}

function sig3(x: number): string {
  const digits = x >= 100 ? 0 : x >= 10 ? 1 : 2;
  return trimZeros(x.toFixed(digits));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
