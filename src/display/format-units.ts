import { UsageError } from '../errors.js';
import { MINUTE_MS } from '../core/time.js';
/**
 * How every number is written for people: reports (HTML, Markdown) and the terminal use these, so a p95 reads
 * the same everywhere. Missing values are an em dash, never "NaN" or "null".
 */
export const MISSING = '—';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Three significant digits, trailing zeros dropped: 1.50 → "1.5", 123.4 → "123", 0.0423 → "0.0423". */
export function formatSignificant(x: number, digits = 3): string {
  if (x === 0 || !Number.isFinite(x)) return String(x === 0 ? 0 : x);
  const s = Math.abs(x) >= 10 ** digits ? Math.round(x).toString() : Number(x.toPrecision(digits)).toString();
  return s.includes('e') ? x.toFixed(0) : s;
}

/** A duration in ms, in the unit that keeps it short: 0.42 ms, 87 ms, 1.25 s, 2.5 min, 3.2 h, 7 d. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return MISSING;
  const a = Math.abs(ms);
  // Cut-offs sit where three significant digits would round up into the next unit ("1000 ms" → "1 s").
  if (a < 999.5) return `${formatSignificant(ms)} ms`;
  if (a < 59.95 * SECOND) return `${formatSignificant(ms / SECOND)} s`;
  if (a < 59.95 * MINUTE) return `${formatSignificant(ms / MINUTE)} min`;
  if (a < 47.95 * HOUR) return `${formatSignificant(ms / HOUR)} h`;
  return `${formatSignificant(ms / DAY)} d`;
}

/** A fraction 0..1 as a percentage: 82.4 %, 99.95 %, 0.35 %, 100 %; two decimals near 0 % and 100 %. */
export function formatPercent(frac: number | null | undefined): string {
  if (frac === null || frac === undefined || !Number.isFinite(frac)) return MISSING;
  const p = frac * 100;
  const fine = Math.abs(p) < 1 || Math.abs(p) > 99;
  return `${trimZeros(p.toFixed(fine ? 2 : 1))} %`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * A count with thousands separators: 12,345, as toLocaleString('en-US') writes it. Grouped here because that call's
 * first use loads ICU's locale data, some 30 ms of a quick command such as `status`.
 */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return MISSING;
  const i = Math.round(n);
  // From 1e21 on String() writes an exponent; no count gets there, and ICU writes it in full.
  if (Math.abs(i) >= 1e21) return i.toLocaleString('en-US');
  return (i < 0 || Object.is(i, -0) ? '-' : '') + String(Math.abs(i)).replace(/\B(?=(\d{3})+$)/g, ',');
}

const BYTE_UNITS = ['kB', 'MB', 'GB', 'TB', 'PB'];

/** A size in bytes, in decimal units with one decimal: 512 B, 1.5 kB, 5.0 GB (never "5000.0 MB"). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return MISSING;
  if (Math.abs(bytes) < 999.5) return `${Math.round(bytes)} B`;
  let v = bytes / 1000;
  let i = 0;
  // Move up while one decimal would round to 1000.0 of this unit.
  while (Math.abs(v) >= 999.95 && i < BYTE_UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(1)} ${BYTE_UNITS[i]}`;
}

/** A count and its noun, singular for one: "1 event", "2,500 events", "3 matches" (with `plural`). */
export function formatCountOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : plural}`;
}

/** Operations per minute. */
export function formatPerMinute(perMin: number | null | undefined): string {
  if (perMin === null || perMin === undefined || !Number.isFinite(perMin)) return MISSING;
  return `${formatSignificant(perMin)}/min`;
}

/** A plain number with three significant digits (concurrency, retries per event). */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return MISSING;
  return formatSignificant(x);
}

/** A relative change as a signed percentage: +20.1 %, −3 %, +250 %. */
export function formatRelChange(rel: number | null | undefined): string {
  if (rel === null || rel === undefined || !Number.isFinite(rel)) return MISSING;
  if (rel === 0) return '±0 %';
  const p = rel * 100;
  const digits = Math.abs(p) >= 100 ? 0 : 1;
  return `${p >= 0 ? '+' : '−'}${trimZeros(Math.abs(p).toFixed(digits))} %`;
}

/** A change of a rate in percentage points: +1.2 pp. */
export function formatPointChange(abs: number | null | undefined): string {
  if (abs === null || abs === undefined || !Number.isFinite(abs)) return MISSING;
  if (abs === 0) return '±0 pp';
  const pp = abs * 100;
  const digits = Math.abs(pp) < 1 ? 2 : 1;
  return `${pp >= 0 ? '+' : '−'}${trimZeros(Math.abs(pp).toFixed(digits))} pp`;
}

/**
 * The zone times are shown in: UTC unless `--tz` names an IANA zone. Set once by the CLI before any output,
 * like a locale; windows and stored times stay UTC whatever it is.
 */
let zoneFormat: Intl.DateTimeFormat | null = null;
let zoneName = 'UTC';

export function setDisplayTimeZone(tz: string | undefined): void {
  if (tz === undefined || tz === 'UTC') {
    zoneFormat = null;
    zoneName = 'UTC';
    return;
  }
  try {
    zoneFormat = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
      timeZoneName: 'short',
    });
    zoneName = tz;
  } catch {
    throw new UsageError(`--tz: unknown time zone "${tz}"`, 'give an IANA name such as Europe/Berlin or America/New_York, or UTC');
  }
}

/** The IANA name of the zone times are shown in (`UTC` unless `--tz` gave one). */
export function displayTimeZone(): string {
  return zoneName;
}

/**
 * How far the shown zone's wall clock is ahead of UTC at an instant (0 in UTC; +3,600,000 in Berlin in winter),
 * to the minute, so that chart ticks can fall on the zone's whole hours and midnights.
 */
export function displayOffsetMs(ms: number): number {
  if (!zoneFormat) return 0;
  const p = Object.fromEntries(zoneFormat.formatToParts(ms).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return wall - Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** `2026-11-20 14:05Z` in UTC, `2026-11-20 15:05 GMT+1` with --tz Europe/Berlin: to the minute. */
export function formatMinute(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return MISSING;
  if (!zoneFormat) return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
  const p = Object.fromEntries(zoneFormat.formatToParts(ms).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** `2026-11-09 00:00Z – 2026-11-16 00:00Z (7 d)`. */
export function formatRange(fromMs: number, toMs: number): string {
  return `${formatMinute(fromMs)} – ${formatMinute(toMs)} (${formatDuration(toMs - fromMs)})`;
}

/** How a metric's value is read, by its name in the analysis document (k6-style stat map keys). */
export type MetricKind = 'duration' | 'rate' | 'count' | 'perMinute' | 'megabytes' | 'percent' | 'number';

const DURATION_METRICS = new Set(['mean', 'min', 'p50', 'p90', 'p95', 'p99', 'p999', 'max']);

export function metricKind(metric: string): MetricKind {
  const last = metric.split('.').pop() ?? metric;
  // Resource stats end in max/mean too, so they are told apart before the latency names.
  if (/memory/i.test(metric)) return 'megabytes';
  if (/cpu/i.test(metric)) return 'percent';
  if (/concurrency/i.test(metric)) return 'number';
  if (/count$/i.test(last)) return 'count';
  if (DURATION_METRICS.has(last) || /duration|latency/i.test(metric)) return 'duration';
  if (/Rate$/.test(last)) return 'rate';
  if (metric.startsWith('throughput') || /PerMin$/.test(last)) return 'perMinute';
  return 'number';
}

/** A metric's value in its unit: formatMetric('p95', 1234) → "1.23 s", formatMetric('errorRate', 0.02) → "2 %". */
export function formatMetric(metric: string, value: number | null | undefined): string {
  switch (metricKind(metric)) {
    case 'duration': return formatDuration(value);
    case 'rate': return formatPercent(value);
    case 'count': return formatCount(value);
    case 'perMinute': return formatPerMinute(value);
    case 'megabytes': return value === null || value === undefined ? MISSING : `${formatSignificant(value)} MB`;
    case 'percent': return value === null || value === undefined ? MISSING : `${formatSignificant(value)} %`;
    case 'number': return formatNumber(value);
  }
}

/** A change of a metric: percentage points for rates, relative change for everything else. */
export function formatMetricChange(metric: string, d: { abs: number | null; rel: number | null }): string {
  if (metricKind(metric) === 'rate') return formatPointChange(d.abs);
  if (d.rel === null && d.abs !== null) return d.abs === 0 ? '±0' : `${d.abs > 0 ? '+' : '−'}${formatMetric(metric, Math.abs(d.abs))}`;
  return formatRelChange(d.rel);
}
