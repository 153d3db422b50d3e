import { escapeHtml } from '../escape.js';
import { axisMax, timeTicks, timeTickLabel } from './scale.js';

export interface LineSeries {
  name: string;
  values: Array<number | null>;
  /** Colour when no stylesheet applies; the report's CSS overrides it through the class (for dark mode). */
  color: string;
  cls: string;
}

export interface LineChartSpec {
  id: string;
  title: string;
  /** Bucket starts, one per value; each value is drawn at the middle of its bucket (the part inside the window). */
  t: number[];
  stepMs: number;
  fromMs: number;
  toMs: number;
  series: LineSeries[];
  formatY: (v: number) => string;
  /** Axis top when every value is 0 (so a flat zero line still has a scale). */
  emptyMax: number;
  /** Fill under the first series. */
  area?: boolean;
}

const W = 720;
const H = 210;
const M = { left: 64, right: 14, top: 30, bottom: 24 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;
const GRID_LINES = 4;

const n1 = (x: number) => x.toFixed(1);

/**
 * A time-series line chart as inline SVG: y from zero, gridlines with unit labels, UTC time ticks, a legend, gaps
 * where a bucket has no value, and a dot for a value with no neighbour (so a one-bucket window still shows).
 * Every text is escaped; the SVG needs no script, font or network.
 */
export function renderLineChart(s: LineChartSpec): string {
  const span = Math.max(s.toMs - s.fromMs, 1);
  const yMax = axisMax(s.series.flatMap((x) => x.values), s.emptyMax);
  // A bucket is drawn at the middle of the part of it inside the window: the first and last buckets of a window
  // that does not start on the hour are partial (an incident window 13:05–15:05 has a 15:00–15:05 bucket).
  const x = (t: number) => M.left + ((Math.max(t, s.fromMs) + Math.min(t + s.stepMs, s.toMs)) / 2 - s.fromMs) / span * PLOT_W;
  const y = (v: number) => M.top + PLOT_H - (v / yMax) * PLOT_H;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="${s.id}-title">`,
    `<title id="${s.id}-title">${escapeHtml(s.title)}</title>`,
  ];
  for (let i = 0; i <= GRID_LINES; i++) {
    const v = (yMax * i) / GRID_LINES;
    parts.push(
      `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${n1(y(v))}" y2="${n1(y(v))}" stroke="#d0d4da" stroke-width="1"/>`,
      `<text class="axis" x="${M.left - 6}" y="${n1(y(v) + 4)}" text-anchor="end" font-size="11" fill="#5b6470">${escapeHtml(s.formatY(v))}</text>`,
    );
  }
  const { ticks, stepMs } = timeTicks(s.fromMs, s.toMs);
  for (const t of ticks) {
    const tx = M.left + ((t - s.fromMs) / span) * PLOT_W;
    parts.push(`<line class="tick" x1="${n1(tx)}" x2="${n1(tx)}" y1="${M.top + PLOT_H}" y2="${M.top + PLOT_H + 4}" stroke="#9aa1ab"/>`);
    // The window's exclusive end gets a tick but no label: it would collide with the last label inside the window.
    // Near the right edge a label is anchored inwards so the viewBox does not cut it off.
    if (t < s.toMs) {
      const anchor = tx > W - M.right - 30 ? 'end' : 'middle';
      parts.push(`<text class="axis" x="${n1(tx)}" y="${H - 6}" text-anchor="${anchor}" font-size="11" fill="#5b6470">${escapeHtml(timeTickLabel(t, stepMs))}</text>`);
    }
  }
  const hasData = s.series.some((ser) => ser.values.some((v) => v !== null));
  if (!hasData) {
    parts.push(`<text class="axis" x="${M.left + PLOT_W / 2}" y="${M.top + PLOT_H / 2}" text-anchor="middle" font-size="13" fill="#5b6470">no data in this window</text>`);
  }
  s.series.forEach((ser, i) => {
    const segments = splitSegments(s.t, ser.values).map((seg) => seg.map(([t, v]) => [x(t), y(v)] as const));
    if (s.area && i === 0) {
      for (const seg of segments.filter((g) => g.length > 1)) {
        const d = `M${n1(seg[0][0])} ${n1(y(0))}` + seg.map(([px, py]) => `L${n1(px)} ${n1(py)}`).join('') + `L${n1(seg[seg.length - 1][0])} ${n1(y(0))}Z`;
        parts.push(`<path class="area ${ser.cls}" d="${d}" fill="${ser.color}" fill-opacity="0.15" stroke="none"/>`);
      }
    }
    for (const seg of segments) {
      if (seg.length === 1) {
        parts.push(`<circle class="dot ${ser.cls}" cx="${n1(seg[0][0])}" cy="${n1(seg[0][1])}" r="2.5" fill="${ser.color}"/>`);
      } else {
        const d = seg.map(([px, py], k) => `${k === 0 ? 'M' : 'L'}${n1(px)} ${n1(py)}`).join('');
        parts.push(`<path class="line ${ser.cls}" d="${d}" fill="none" stroke="${ser.color}" stroke-width="1.75" stroke-linejoin="round"/>`);
      }
    }
  });
  let lx = M.left;
  for (const ser of s.series) {
    parts.push(
      `<line class="line ${ser.cls}" x1="${lx}" x2="${lx + 18}" y1="14" y2="14" stroke="${ser.color}" stroke-width="2.5"/>`,
      `<text class="legend" x="${lx + 23}" y="18" font-size="12" fill="#1f2328">${escapeHtml(ser.name)}</text>`,
    );
    lx += 30 + ser.name.length * 7;
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Consecutive non-null points, split where a value is missing. */
function splitSegments(t: number[], values: Array<number | null>): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = [];
  let cur: Array<[number, number]> = [];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (cur.length) out.push(cur);
      cur = [];
    } else {
      cur.push([t[i], v]);
    }
  });
  if (cur.length) out.push(cur);
  return out;
}
