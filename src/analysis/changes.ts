import type { SourcedEvent } from '../core/op-event.js';
import type { Scope, StoreQueries, TimeRange } from '../store/queries.js';
import type { Change } from './analysis-document.js';
import { attribute, type LabeledEvent } from './attribution.js';
import { describeChange } from './describe-change.js';
import { meanShift, type WeightedPoint } from './stats/mean-shift.js';
import { quantiles } from './stats/percentile.js';
import { winsorize } from './stats/robust.js';
import { HOUR_MS, MINUTE_MS } from '../core/time.js';

/** A change the analysis found, before its onset and attribution are worked out. */
export interface ChangeCandidate {
  kind: Change['kind'];
  op: string | null;
  foundBy: Change['foundBy'];
  foundAt: number | null;
  before: number | null;
  after: number | null;
  /** Where the onset is looked for (per-minute rollups). */
  search: TimeRange;
  /** Longest stretch read raw on each side of the onset for attribution. */
  reach: number;
  /** Ranking among candidates: larger first. */
  weight: number;
}

export interface ChangeContext {
  q: StoreQueries;
  scope: Scope;
  rawPrunedBefore: number | null;
}

/** At most this many changes get an onset and attribution (each costs a minute series and a raw read). */
const MAX_CHANGES = 8;
/** Largest adjusted p-value of the onset split that still names an onset. */
const ONSET_ALPHA = 1e-3;
/** Raw events read at most around one onset: the reach shrinks on busy operations to stay under it. */
const MAX_RAW_EVENTS = 300_000;
/** The slow bar is this quantile of the durations before the onset (the regression rule's own percentile). */
const SLOW_QUANTILE = 0.95;
const CLIP_SIGMAS = 4;

/**
 * Onset and attribution of every regression, spike and level change the analysis found (docs/rules.md "Onset
 * and attribution"): the onset is the best split of the operation's per-minute rollups (mean log duration, or
 * failures over events) in the search range, so it is found to the minute however long the window; attribution
 * then reads the raw events around the onset and compares the changed ones with the rest.
 */
export function findChanges(ctx: ChangeContext, candidates: readonly ChangeCandidate[]): Change[] {
  const seen = new Set<string>();
  const picked = [...candidates]
    .sort((a, b) => b.weight - a.weight)
    .filter((c) => {
      const key = `${c.kind}\u0000${c.op ?? ''}\u0000${c.foundBy === 'spike' ? c.foundAt : ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_CHANGES);
  return picked.map((c) => examine(ctx, c));
}

function examine(ctx: ChangeContext, c: ChangeCandidate): Change {
  const scope: Scope = c.op === null ? ctx.scope : { ops: [c.op], source: ctx.scope.source };
  const minutes = ctx.q.seriesTotals(c.search, MINUTE_MS, scope, 'op', []).sort((a, b) => a.t - b.t);
  const merged = mergeMinutes(minutes);
  const onset = findOnset(c.kind, merged);
  const base: Omit<Change, 'summary'> = {
    kind: c.kind, op: c.op, foundBy: c.foundBy, foundAt: c.foundAt, before: c.before, after: c.after,
    onset: onset ? new Date(onset.at).toISOString() : null, onsetMs: onset?.at ?? null, onsetPValue: onset?.pValue ?? null,
    compared: null, changedEvents: 0, restEvents: 0, attribution: [], note: null,
  };
  if (!onset) return finish({ ...base, note: 'no single onset: the change is gradual or too small to place in time' });
  const range = attributionRange(merged, onset.at, c);
  if (ctx.rawPrunedBefore !== null && range.from < ctx.rawPrunedBefore) {
    return finish({ ...base, note: `raw events before ${new Date(ctx.rawPrunedBefore).toISOString()} were pruned: no attribution` });
  }
  const events = ctx.q.rawEvents(range, scope);
  const labeled = label(c.kind, events, onset.at, c.op === null);
  const result = attribute(labeled.events, labeled.baseRate);
  const note = result.changed < 10
    ? 'too few changed events around the onset to say where they are'
    : result.attribution.length === 0
      ? `nothing stands out: the change is spread over ${dimensionList(labeled.events)}`
      : null;
  return finish({ ...base, compared: range, changedEvents: result.changed, restEvents: result.rest, attribution: result.attribution, note });
}

function finish(c: Omit<Change, 'summary'>): Change {
  return { ...c, summary: describeChange(c) };
}

interface MinutePoint {
  t: number;
  count: number;
  errorCount: number;
  durCount: number;
  durSum: number;
}

function mergeMinutes(rows: ReadonlyArray<MinutePoint>): MinutePoint[] {
  const out: MinutePoint[] = [];
  for (const r of rows) {
    const last = out.at(-1);
    if (last && last.t === r.t) {
      last.count += r.count;
      last.errorCount += r.errorCount;
      last.durCount += r.durCount;
      last.durSum += r.durSum;
    } else out.push({ t: r.t, count: r.count, errorCount: r.errorCount, durCount: r.durCount, durSum: r.durSum });
  }
  return out;
}

/**
 * The first minute of the new level: latency from each minute's mean duration (log, winsorized, one point per
 * minute), failures from each minute's failures over its events (one observation per event).
 */
function findOnset(kind: Change['kind'], minutes: readonly MinutePoint[]): { at: number; pValue: number } | null {
  let points: WeightedPoint[];
  let times: number[];
  if (kind === 'latency') {
    const timed = minutes.filter((m) => m.durCount > 0 && m.durSum > 0);
    const logs = winsorize(timed.map((m) => Math.log(m.durSum / m.durCount)), CLIP_SIGMAS);
    points = logs.map((y) => ({ n: 1, sum: y, sumSq: y * y }));
    times = timed.map((m) => m.t);
  } else {
    const busy = minutes.filter((m) => m.count > 0);
    points = busy.map((m) => ({ n: m.count, sum: m.errorCount, sumSq: m.errorCount }));
    times = busy.map((m) => m.t);
  }
  const split = meanShift(points, { direction: 'up' });
  if (!split || !(split.pValue <= ONSET_ALPHA)) return null;
  return { at: times[split.index], pValue: split.pValue };
}

/**
 * Minutes read raw around the onset: up to `reach` on each side inside the search range, narrowed so that at
 * most MAX_RAW_EVENTS are read on a busy operation (but never under an hour a side).
 */
function attributionRange(minutes: readonly MinutePoint[], onset: number, c: ChangeCandidate): TimeRange {
  let reach = c.reach;
  const within = (r: number) => minutes.reduce((n, m) => (m.t >= onset - r && m.t < onset + r ? n + m.count : n), 0);
  while (reach > HOUR_MS && within(reach) > MAX_RAW_EVENTS) reach = Math.max(HOUR_MS, reach / 2);
  return { from: Math.max(c.search.from, onset - reach), to: Math.min(c.search.to, onset + reach) };
}

/**
 * Marks each event as changed (after the onset and slow or failed) or not. Slow means above the 95th percentile
 * of the durations before the onset; the base rate is how often events were slow (or failed) before it, so the
 * excess after it is the change.
 */
function label(kind: Change['kind'], events: readonly SourcedEvent[], onset: number, withOp: boolean): { events: LabeledEvent[]; baseRate: number } {
  // The source is a dimension too, unless a field of the line already is that name (a host field read as source).
  const dimsOf = (e: (typeof events)[number]) => {
    const same = e.dims && Object.values(e.dims).includes(e.source);
    return { ...e.dims, ...(same ? {} : { source: e.source }), ...(withOp ? { op: e.op } : {}) };
  };
  if (kind === 'errors') {
    let before = 0;
    let failedBefore = 0;
    const out = events.map((e) => {
      const after = e.ts >= onset;
      if (!after) {
        before++;
        if (!e.ok) failedBefore++;
      }
      return { dims: dimsOf(e), after, changed: after && !e.ok };
    });
    return { events: out, baseRate: before ? failedBefore / before : 0 };
  }
  const timed = events.filter((e) => e.durationMs !== null);
  const beforeDurations = timed.filter((e) => e.ts < onset).map((e) => e.durationMs as number);
  if (beforeDurations.length === 0) return { events: [], baseRate: 0 };
  const [bar] = quantiles(beforeDurations, [SLOW_QUANTILE]);
  const baseRate = beforeDurations.filter((d) => d > bar).length / beforeDurations.length;
  return {
    events: timed.map((e) => ({ dims: dimsOf(e), after: e.ts >= onset, changed: e.ts >= onset && (e.durationMs as number) > bar })),
    baseRate,
  };
}

/** `every host, version and source` (the dimensions that vary), for "nothing stands out". */
function dimensionList(events: readonly LabeledEvent[]): string {
  const values = new Map<string, Set<string>>();
  for (const e of events) for (const k in e.dims) (values.get(k) ?? values.set(k, new Set()).get(k)!).add(e.dims[k]);
  const list = [...values].filter(([, v]) => v.size > 1).map(([k]) => k).sort();
  if (list.length === 0) return 'all events alike (the lines carry no host, version, region or other field that varies)';
  return list.length === 1 ? `every ${list[0]}` : `every ${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}
