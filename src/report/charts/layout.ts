/**
 * The two sizes every chart is drawn in. SVG text scales with the viewBox, so one drawing cannot keep its labels
 * readable both on a phone and on a desktop: the report carries a wide and a narrow drawing of each chart and its
 * stylesheet shows the one that fits (a 360-unit drawing on a 400-pixel phone keeps 11-unit text at 11 pixels).
 */
export interface ChartLayout {
  name: 'wide' | 'narrow';
  width: number;
  /** Most time ticks that fit under the plot without their labels touching. */
  maxTimeTicks: number;
  /** Characters of a bar label before it is cut with an ellipsis, and the room for labels and values. */
  barLabelChars: number;
  barLabelWidth: number;
  barValueWidth: number;
}

export const LAYOUTS: readonly ChartLayout[] = [
  { name: 'wide', width: 720, maxTimeTicks: 8, barLabelChars: 24, barLabelWidth: 170, barValueWidth: 80 },
  { name: 'narrow', width: 360, maxTimeTicks: 4, barLabelChars: 14, barLabelWidth: 104, barValueWidth: 64 },
];

export const WIDE = LAYOUTS[0];

/** Font sizes in viewBox units; the narrow drawing is shown at about its own size, so these are about pixels. */
export const FONT = { axis: 11, legend: 12, note: 13 };

/** Both drawings of a chart, each marked with its layout's class and an id of its own. */
export function inBothLayouts(draw: (layout: ChartLayout, id: (base: string) => string) => string): string {
  return LAYOUTS.map((l) => draw(l, (base) => (l.name === 'wide' ? base : `${base}-${l.name}`))).join('');
}
