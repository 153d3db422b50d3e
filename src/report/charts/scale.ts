/** Axis arithmetic shared by the SVG charts, on d3-scale and d3-time: round values and calendar-aligned times. */
import { scaleLinear, scaleLog } from 'd3-scale';
import { utcDay, utcHour, utcMinute, utcMonday, utcMonth, type TimeInterval } from 'd3-time';
import { displayOffsetMs } from '../../display/format-units.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, WEEK_MS } from '../../core/time.js';

export interface ValueAxis {
  /** Value → pixel; values outside the domain (0 on a log axis) are clamped to its edge. */
  y: (v: number) => number;
  ticks: number[];
  log: boolean;
}

/** A log axis once the positive values span this factor (p50 at 80 ms beside a p99 at 10 s). */
const LOG_SPAN = 20;

/**
 * A y axis over `[bottom, top]` pixels. Linear from zero to a round top with ticks on round values (0, 5, 10 …;
 * never 0.625), or, when `allowLog` and the values span more than a factor of 20, logarithmic over round powers of
 * ten with ticks at 1, 2 and 5 × 10^k. `emptyMax` is the top when every value is 0.
 */
export function valueAxis(values: Iterable<number | null>, o: { bottom: number; top: number; emptyMax: number; ticks?: number; allowLog?: boolean }): ValueAxis {
  const count = o.ticks ?? 4;
  let max = 0;
  let minPositive = Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v > max) max = v;
    if (v > 0 && v < minPositive) minPositive = v;
  }
  if (o.allowLog && max > 0 && max / minPositive > LOG_SPAN) {
    const s = scaleLog().domain([minPositive, max]).range([o.bottom, o.top]).nice().clamp(true);
    const all = s.ticks();
    const round = all.filter((t) => [1, 2, 5].includes(Number(t.toPrecision(1)) / 10 ** Math.floor(Math.log10(t))));
    const ticks = round.length > count + 2 ? all.filter((t) => Number.isInteger(Math.log10(t))) : round;
    return { y: (v) => s(v), ticks, log: true };
  }
  const s = scaleLinear().domain([0, max > 0 ? max : o.emptyMax]).range([o.bottom, o.top]).nice(count);
  return { y: (v) => s(v), ticks: s.ticks(count), log: false };
}

/** Tick steps, finest first: whole minutes, hours and days of the shown zone, ISO weeks (Mondays), months. */
const STEPS: Array<{ interval: TimeInterval; ms: number }> = [
  ...[1, 2, 5, 10, 15, 30].map((n) => ({ interval: utcMinute.every(n)!, ms: n * MINUTE_MS })),
  ...[1, 2, 3, 6, 12].map((n) => ({ interval: utcHour.every(n)!, ms: n * HOUR_MS })),
  { interval: utcDay, ms: DAY_MS },
  { interval: utcDay.every(2)!, ms: 2 * DAY_MS },
  { interval: utcMonday, ms: WEEK_MS },
  { interval: utcMonday.every(2)!, ms: 14 * DAY_MS },
  { interval: utcMonth, ms: 30 * DAY_MS },
];

export interface TimeTicks {
  ticks: number[];
  stepMs: number;
}

/**
 * At most `maxTicks` tick instants in [fromMs, toMs] on whole minutes, hours or days of the zone times are shown
 * in (`--tz`), weeks starting on ISO Mondays. The intervals of d3-time run on a clock shifted by the zone's offset,
 * so a tick falls on the zone's midnight, not UTC's.
 */
export function timeTicks(fromMs: number, toMs: number, maxTicks = 8): TimeTicks {
  const span = Math.max(toMs - fromMs, 1);
  const step = STEPS.find((s) => span / s.ms <= maxTicks) ?? STEPS[STEPS.length - 1];
  const wall = (t: number) => t + displayOffsetMs(t);
  const instant = (w: number) => w - displayOffsetMs(w - displayOffsetMs(w));
  const ticks = step.interval
    .range(new Date(wall(fromMs)), new Date(wall(toMs) + 1))
    .map((d) => instant(d.getTime()))
    .filter((t) => t >= fromMs && t <= toMs);
  return { ticks, stepMs: step.ms };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * A tick's label in the shown zone, as up to two lines: the time of day for ticks within a day ("14:05") with the
 * date below it where the date changes ("Fri 11-20"); the weekday over the date for day ticks; the date over the
 * year for week and month ticks.
 */
export function timeTickLabel(t: number, stepMs: number, previous: number | null): [string, string] {
  const w = new Date(t + displayOffsetMs(t));
  const iso = w.toISOString();
  const day = `${WEEKDAYS[w.getUTCDay()]} ${iso.slice(5, 10)}`;
  if (stepMs >= WEEK_MS) {
    const newYear = previous === null || new Date(previous + displayOffsetMs(previous)).getUTCFullYear() !== w.getUTCFullYear();
    return [iso.slice(5, 10), newYear ? iso.slice(0, 4) : ''];
  }
  if (stepMs >= DAY_MS) return [WEEKDAYS[w.getUTCDay()], iso.slice(5, 10)];
  const prevDay = previous === null ? '' : new Date(previous + displayOffsetMs(previous)).toISOString().slice(0, 10);
  return [iso.slice(11, 16), prevDay === iso.slice(0, 10) ? '' : day];
}
