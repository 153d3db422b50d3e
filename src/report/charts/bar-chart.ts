import { escapeHtml } from '../escape.js';
import { FONT, WIDE, type ChartLayout } from './layout.js';

export interface BarChartSpec {
  id: string;
  title: string;
  bars: Array<{ label: string; value: number }>;
  formatValue: (v: number) => string;
}

const ROW = 24;
const TOP = 8;

/** Horizontal bars (error categories): one row per bar, label on the left, value after the bar. */
export function renderBarChart(s: BarChartSpec, layout: ChartLayout = WIDE, id = s.id): string {
  const W = layout.width;
  const h = TOP * 2 + Math.max(s.bars.length, 1) * ROW;
  const max = Math.max(...s.bars.map((b) => b.value), 0) || 1;
  const labelW = layout.barLabelWidth;
  const plotW = W - labelW - layout.barValueWidth;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart ${layout.name}" viewBox="0 0 ${W} ${h}" width="100%" role="img" aria-labelledby="${id}-title">`,
    `<title id="${id}-title">${escapeHtml(s.title)}</title>`,
  ];
  if (s.bars.length === 0) {
    parts.push(`<text class="axis" x="${W / 2}" y="${TOP + ROW / 2 + 4}" text-anchor="middle" font-size="${FONT.note}" fill="#5b6470">no failures in this window</text>`);
  }
  s.bars.forEach((b, i) => {
    const y = TOP + i * ROW;
    const w = Math.max((b.value / max) * plotW, b.value > 0 ? 2 : 0);
    const n = layout.barLabelChars;
    const label = b.label.length > n ? `${b.label.slice(0, n - 1)}…` : b.label;
    parts.push(
      `<text class="legend" x="${labelW - 8}" y="${y + ROW / 2 + 4}" text-anchor="end" font-size="${FONT.legend}" fill="#1f2328">${escapeHtml(label)}</text>`,
      `<rect class="bar" x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW - 8}" rx="2" fill="#d9534f"/>`,
      `<text class="axis" x="${(labelW + w + 6).toFixed(1)}" y="${y + ROW / 2 + 4}" font-size="${FONT.axis}" fill="#5b6470">${escapeHtml(s.formatValue(b.value))}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
