import { escapeHtml } from '../escape.js';
import { axisMax } from './scale.js';

export interface BarChartSpec {
  id: string;
  title: string;
  bars: Array<{ label: string; value: number }>;
  formatValue: (v: number) => string;
}

const W = 720;
const ROW = 24;
const TOP = 8;
const LABEL_W = 170;
const VALUE_W = 80;
const LABEL_CHARS = 24;

/** Horizontal bars (error categories): one row per bar, label on the left, value after the bar. */
export function renderBarChart(s: BarChartSpec): string {
  const h = TOP * 2 + Math.max(s.bars.length, 1) * ROW;
  const max = axisMax(s.bars.map((b) => b.value), 1);
  const plotW = W - LABEL_W - VALUE_W;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${W} ${h}" width="100%" role="img" aria-labelledby="${s.id}-title">`,
    `<title id="${s.id}-title">${escapeHtml(s.title)}</title>`,
  ];
  if (s.bars.length === 0) {
    parts.push(`<text class="axis" x="${W / 2}" y="${TOP + ROW / 2 + 4}" text-anchor="middle" font-size="13" fill="#5b6470">no failures in this window</text>`);
  }
  s.bars.forEach((b, i) => {
    const y = TOP + i * ROW;
    const w = Math.max((b.value / max) * plotW, b.value > 0 ? 2 : 0);
    const label = b.label.length > LABEL_CHARS ? `${b.label.slice(0, LABEL_CHARS - 1)}…` : b.label;
    parts.push(
      `<text class="legend" x="${LABEL_W - 8}" y="${y + ROW / 2 + 4}" text-anchor="end" font-size="12" fill="#1f2328">${escapeHtml(label)}</text>`,
      `<rect class="bar" x="${LABEL_W}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW - 8}" rx="2" fill="#d9534f"/>`,
      `<text class="axis" x="${(LABEL_W + w + 6).toFixed(1)}" y="${y + ROW / 2 + 4}" font-size="11" fill="#5b6470">${escapeHtml(s.formatValue(b.value))}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
