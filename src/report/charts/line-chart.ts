import { escapeHtml } from '../escape.js';
import { displayTimeZone } from '../../display/format-units.js';
import type { ChartMarker } from '../view-model.js';
import { FONT, WIDE, type ChartLayout } from './layout.js';
import { timeTickLabel, timeTicks, valueAxis } from './scale.js';

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
  /** A log axis when the values span more than a factor of 20 (latency percentiles). */
  allowLog?: boolean;
  markers?: ChartMarker[];
}

const H = 230;
const M = { left: 64, right: 14, top: 30, bottom: 36 };
const PLOT_H = H - M.top - M.bottom;

const n1 = (x: number) => x.toFixed(1);

/**
 * A time-series line chart as inline SVG: y from zero on round ticks (or a log axis), time ticks on whole minutes,
 * hours, days or ISO weeks of the shown zone with the date, markers, a legend, gaps where a bucket has no value, and
 * a dot for a value with no neighbour (so a one-bucket window still shows). Every text is escaped; the SVG needs no
 * script, font or network.
 */
export function renderLineChart(s: LineChartSpec, layout: ChartLayout = WIDE, id = s.id): string {
  const W = layout.width;
  const plotW = W - M.left - M.right;
  const span = Math.max(s.toMs - s.fromMs, 1);
  const axis = valueAxis(s.series.flatMap((x) => x.values), { bottom: M.top + PLOT_H, top: M.top, emptyMax: s.emptyMax, allowLog: s.allowLog });
  const y = axis.y;
  const xAt = (t: number) => M.left + ((t - s.fromMs) / span) * plotW;
  // A bucket is drawn at the middle of the part of it inside the window: the first and last buckets of a window
  // that does not start on the hour are partial (an incident window 13:05–15:05 has a 15:00–15:05 bucket).
  const x = (t: number) => xAt((Math.max(t, s.fromMs) + Math.min(t + s.stepMs, s.toMs)) / 2);
  const text = (attrs: string, body: string) => `<text ${attrs}>${escapeHtml(body)}</text>`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart ${layout.name}" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="${id}-title">`,
    `<title id="${id}-title">${escapeHtml(s.title)}${axis.log ? ' (log scale)' : ''}</title>`,
  ];
  for (const v of axis.ticks) {
    parts.push(
      `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${n1(y(v))}" y2="${n1(y(v))}" stroke="#d0d4da" stroke-width="1"/>`,
      text(`class="axis" x="${M.left - 6}" y="${n1(y(v) + 4)}" text-anchor="end" font-size="${FONT.axis}" fill="#5b6470"`, s.formatY(v)),
    );
  }
  const { ticks, stepMs } = timeTicks(s.fromMs, s.toMs, layout.maxTimeTicks);
  ticks.forEach((t, i) => {
    const tx = xAt(t);
    parts.push(`<line class="tick" x1="${n1(tx)}" x2="${n1(tx)}" y1="${M.top + PLOT_H}" y2="${M.top + PLOT_H + 4}" stroke="#9aa1ab"/>`);
    // The window's exclusive end gets a tick but no label: it would collide with the last label inside the window.
    // Near the right edge a label is anchored inwards so the viewBox does not cut it off.
    if (t >= s.toMs) return;
    const anchor = tx > W - M.right - 30 ? 'end' : 'middle';
    const [top, bottom] = timeTickLabel(t, stepMs, i === 0 ? null : ticks[i - 1]);
    const at = `class="axis" x="${n1(tx)}" text-anchor="${anchor}" font-size="${FONT.axis}" fill="#5b6470"`;
    parts.push(text(`${at} y="${M.top + PLOT_H + 16}"`, top));
    if (bottom) parts.push(text(`${at} y="${M.top + PLOT_H + 29}"`, bottom));
  });
  for (const m of s.markers ?? []) {
    if (m.t < s.fromMs || m.t > s.toMs) continue;
    const mx = n1(xAt(m.t));
    const right = xAt(m.t) > M.left + plotW * 0.7;
    parts.push(
      `<line class="marker marker-${escapeHtml(m.kind)}" x1="${mx}" x2="${mx}" y1="${M.top}" y2="${M.top + PLOT_H}" stroke="#6e40c9" stroke-width="1.5" stroke-dasharray="5 3"/>`,
      text(`class="marker-label marker-${escapeHtml(m.kind)}" x="${n1(xAt(m.t) + (right ? -4 : 4))}" y="${M.top + 12}" text-anchor="${right ? 'end' : 'start'}" font-size="${FONT.axis}" fill="#6e40c9"`, m.label),
    );
  }
  const hasData = s.series.some((ser) => ser.values.some((v) => v !== null));
  if (!hasData) {
    parts.push(text(`class="axis" x="${M.left + plotW / 2}" y="${M.top + PLOT_H / 2}" text-anchor="middle" font-size="${FONT.note}" fill="#5b6470"`, 'no data in this window'));
  }
  s.series.forEach((ser, i) => {
    const segments = splitSegments(s.t, ser.values).map((seg) => seg.map(([t, v]) => [x(t), y(v)] as const));
    if (s.area && i === 0) {
      const base = y(axis.log ? 0 : axis.ticks[0]);
      for (const seg of segments.filter((g) => g.length > 1)) {
        const d = `M${n1(seg[0][0])} ${n1(base)}` + seg.map(([px, py]) => `L${n1(px)} ${n1(py)}`).join('') + `L${n1(seg[seg.length - 1][0])} ${n1(base)}Z`;
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
      text(`class="legend" x="${lx + 23}" y="18" font-size="${FONT.legend}" fill="#1f2328"`, ser.name),
    );
    lx += 30 + ser.name.length * 7;
  }
  const zone = axis.log ? `log scale · ${displayTimeZone()}` : displayTimeZone();
  parts.push(text(`class="axis" x="${W - M.right}" y="18" text-anchor="end" font-size="${FONT.axis}" fill="#5b6470"`, zone));
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
