/** Axis arithmetic shared by the SVG charts: round maxima and tick positions a reader can take in at a glance. */

/** The smallest 1, 2, 2.5 or 5 × 10^k at or above `x` (x > 0). */
export function niceCeil(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x * (1 - 1e-12)) return m * p;
  return 10 * p;
}

/** Top of a y axis that starts at zero; `floor` is used when every value is 0 so the axis still has a height. */
export function axisMax(values: Iterable<number | null>, floor: number): number {
  let max = 0;
  for (const v of values) if (v !== null && Number.isFinite(v) && v > max) max = v;
  return max > 0 ? niceCeil(max) : floor;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TIME_STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY];

/** Tick instants on whole UTC hours or days, at most `maxTicks` of them, inside [fromMs, toMs]. */
export function timeTicks(fromMs: number, toMs: number, maxTicks = 8): { ticks: number[]; stepMs: number } {
  const span = Math.max(toMs - fromMs, 1);
  const stepMs = TIME_STEPS.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / DAY) * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil(fromMs / stepMs) * stepMs; t <= toMs; t += stepMs) ticks.push(t);
  return { ticks, stepMs };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Mon 11-09" for day ticks, "14:00" for hour ticks ("11-10" when an hour tick falls on midnight). */
export function timeTickLabel(t: number, stepMs: number): string {
  const d = new Date(t);
  const date = d.toISOString().slice(5, 10);
  if (stepMs >= DAY) return stepMs >= 7 * DAY ? date : `${WEEKDAYS[d.getUTCDay()]} ${date}`;
  return t % DAY === 0 ? date : d.toISOString().slice(11, 16);
}
