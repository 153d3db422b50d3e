// One module per function: date-fns's index would load all of its ~300 modules at start-up.
import { addWeeks } from 'date-fns/addWeeks';
import { getISOWeek } from 'date-fns/getISOWeek';
import { getISOWeeksInYear } from 'date-fns/getISOWeeksInYear';
import { getISOWeekYear } from 'date-fns/getISOWeekYear';
import { startOfISOWeek } from 'date-fns/startOfISOWeek';
import { startOfISOWeekYear } from 'date-fns/startOfISOWeekYear';
import { UsageError } from '../errors.js';
import { WEEK_MS } from '../core/time.js';

/** One ISO-8601 week in UTC: Monday 00:00Z inclusive to the next Monday exclusive. */
export interface IsoWeek {
  /** "2026-W47" */
  label: string;
  year: number;
  week: number;
  fromMs: number;
  toMs: number;
}


// date-fns works in the process's local zone. ISO weeks are pure calendar arithmetic, so the UTC calendar day is
// handed to it as a local date and the calendar day it returns is read back as UTC: no zone or DST can shift it.
const asLocalDay = (ms: number) => {
  const d = new Date(ms);
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
};
const utcOfLocalDay = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());

/** The ISO week holding the instant `ms`. */
export function isoWeekOf(ms: number): IsoWeek {
  const day = asLocalDay(ms);
  return makeWeek(getISOWeekYear(day), getISOWeek(day), utcOfLocalDay(startOfISOWeek(day)));
}

/** The last ISO week that is over at `nowMs` (on a Monday at 00:00Z, the week that just ended). */
export function lastFullIsoWeek(nowMs: number): IsoWeek {
  return isoWeekOf(isoWeekOf(nowMs).fromMs - WEEK_MS);
}

/** The week before `w`. */
export function previousIsoWeek(w: IsoWeek): IsoWeek {
  return isoWeekOf(w.fromMs - WEEK_MS);
}

/** Reads `2026-W47` (also `2026W47`, `2026-w47`); week 53 only in years that have one. */
export function parseIsoWeek(text: string): IsoWeek {
  const m = /^(\d{4})-?W(\d{1,2})$/i.exec(text.trim());
  if (!m) throw new UsageError(`--week: expected an ISO week such as 2026-W47, got "${text}"`);
  const year = Number(m[1]);
  const week = Number(m[2]);
  const weeks = getISOWeeksInYear(new Date(year, 0, 4));
  if (week < 1 || week > weeks) throw new UsageError(`--week: ${year} has weeks W01 to W${weeks}, got "${text}"`);
  const monday = addWeeks(startOfISOWeekYear(new Date(year, 0, 4)), week - 1);
  return makeWeek(year, week, utcOfLocalDay(monday));
}

function makeWeek(year: number, week: number, fromMs: number): IsoWeek {
  return { label: `${year}-W${String(week).padStart(2, '0')}`, year, week, fromMs, toMs: fromMs + WEEK_MS };
}
