/**
 * Epoch numbers are told apart by magnitude: below 1e11 they are seconds (1e11 s is the year 5138, 1e11 ms is
 * 1973), below 1e14 milliseconds, below 1e17 microseconds, otherwise nanoseconds.
 */
export function epochToMs(n: number): number {
  const a = Math.abs(n);
  if (a < 1e11) return n * 1000;
  if (a < 1e14) return n;
  if (a < 1e17) return n / 1000;
  return n / 1e6;
}

const NUMERIC = /^-?\d+(\.\d+)?$/;
const HAS_ZONE = /(Z|[+-]\d\d:?\d\d)$/i;
const DATE_TIME = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d(:\d\d)?)(?:[.,](\d+))?(.*)$/;

/** Timestamps this far from now or before 1970 are not trusted (see docs/reliability.md). */
const MIN_TS = 0;
const MAX_TS = Date.UTC(2200, 0, 1);

/**
 * Reads ISO-8601 strings (a missing zone means UTC; a space may replace the T; a comma may start the fraction),
 * epoch numbers (s, ms, µs or ns) and numeric strings. Returns epoch ms, or null when unreadable or out of range.
 */
export function parseTimestamp(v: unknown): number | null {
  let ms: number;
  if (typeof v === 'number') {
    ms = epochToMs(v);
  } else if (typeof v === 'string') {
    if (v.length >= 19 && v.charCodeAt(10) === 84 /* T */) ms = parseIso(v); // the common case, no regex
    else if (/^\d{17,}$/.test(v)) ms = Number(BigInt(v) / 1_000_000n); // nanoseconds as text (OTel): exact, no float
    else if (NUMERIC.test(v)) ms = epochToMs(Number(v));
    else ms = parseIso(v);
  } else {
    return null;
  }
  if (!Number.isFinite(ms) || ms < MIN_TS || ms >= MAX_TS) return null;
  // The epsilon absorbs float error of µs/ns conversions (1795183530249.9998 is ms 250).
  return Math.floor(ms + 1e-3);
}

// Log lines arrive in time order, so consecutive timestamps share their minute and zone: "2026-11-09T00:01" with
// "+02:00" is turned into epoch ms once, by the general path, and only the seconds and fraction are read per line,
// character by character. Other shapes (no seconds, other zone forms, surrounding spaces) take the general path.
let cachedPrefix = '';
let cachedZone = '';
let cachedBase = NaN;

function parseIso(s: string): number {
  const n = s.length;
  const sep = s.charCodeAt(10);
  if (n >= 19 && (sep === 84 /* T */ || sep === 32) && s.charCodeAt(13) === 58 /* : */ && s.charCodeAt(16) === 58) {
    const secs = digit(s, 17) * 10 + digit(s, 18);
    let i = 19;
    let ms = 0;
    const dot = s.charCodeAt(19);
    if (dot === 46 /* . */ || dot === 44 /* , */) {
      // JavaScript keeps milliseconds only: the first three digits count, further ones are cut.
      for (let scale = 100, d = digit(s, ++i); d <= 9; d = digit(s, ++i), scale /= 10) if (scale >= 1) ms += d * scale;
    }
    if (secs < 60 && i > 20 === (dot === 46 || dot === 44)) {
      if (cachedPrefix === '' || !s.startsWith(cachedPrefix) || n - i !== cachedZone.length || !s.endsWith(cachedZone)) {
        // A minute and zone are checked once, when cached.
        if (!isMinute(s) || !isZone(s, i)) return parseIsoGeneral(s);
        cachedPrefix = s.slice(0, 16);
        cachedZone = s.slice(i);
        cachedBase = parseIsoGeneral(`${cachedPrefix}:00${cachedZone}`);
      }
      if (Number.isFinite(cachedBase)) return cachedBase + secs * 1000 + ms;
    }
  }
  return parseIsoGeneral(s);
}

/** `dddd-dd-ddThh:mm` at the start of s, the hour below 24 and the minute below 60 (T or a space between). */
function isMinute(s: string): boolean {
  const digits = digit(s, 0) + digit(s, 1) + digit(s, 2) + digit(s, 3) + digit(s, 5) + digit(s, 6) + digit(s, 8) + digit(s, 9);
  return digits <= 72 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 &&
    digit(s, 11) * 10 + digit(s, 12) < 24 && digit(s, 14) * 10 + digit(s, 15) < 60;
}

/** The rest of s from i is a zone the fast path reads: none (UTC), `Z`, or `+hh:mm` / `-hh:mm`. */
function isZone(s: string, i: number): boolean {
  const rest = s.length - i;
  if (rest === 0) return true;
  if (rest === 1) return s.charCodeAt(i) === 90 /* Z */;
  const sign = s.charCodeAt(i);
  return rest === 6 && (sign === 43 || sign === 45) && s.charCodeAt(i + 3) === 58 &&
    digit(s, i + 1) <= 9 && digit(s, i + 2) <= 9 && digit(s, i + 4) <= 9 && digit(s, i + 5) <= 9;
}

/** The digit at i, or a value above 9 when it is not one. */
function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : 99;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Common Log Format, as nginx's `$time_local` and Apache write it: `22/Nov/2026:10:00:00 +0000`. */
const CLF = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d\d:\d\d:\d\d) ([+-]\d\d)(\d\d)$/;

function parseIsoGeneral(s: string): number {
  const clf = CLF.exec(s.trim());
  if (clf) {
    const month = MONTHS.indexOf(clf[2]) + 1;
    if (month === 0) return NaN;
    return Date.parse(`${clf[3]}-${String(month).padStart(2, '0')}-${clf[1]}T${clf[4]}${clf[5]}:${clf[6]}`);
  }
  const m = DATE_TIME.exec(s.trim());
  if (!m) return Date.parse(s); // RFC 2822 and other forms Date understands carry their own zone
  const [, date, time, , frac, rest] = m;
  // JavaScript keeps milliseconds only; longer fractions (µs, ns) are truncated to ms.
  const fraction = frac ? '.' + frac.slice(0, 3).padEnd(3, '0') : '';
  const zone = rest.trim();
  if (zone && !HAS_ZONE.test(zone)) return NaN;
  return Date.parse(`${date}T${time}${fraction}${zone || 'Z'}`);
}

/**
 * Like parseTimestamp, but keeps the fraction below a millisecond (`2025-03-04T06:22:18.819232Z`), for durations
 * taken as the difference of two timestamps (Kubernetes audit, Cloudflare, a `fields` start/end pair). Epoch
 * numbers and digit strings keep what a double holds; ns digit strings are read exactly.
 */
export function preciseTimestamp(v: unknown): number | null {
  const ms = parseTimestamp(v);
  if (ms === null) return null;
  if (typeof v === 'number') return epochToMs(v);
  if (typeof v !== 'string') return ms;
  if (/^\d{17,}$/.test(v)) return Number(BigInt(v) / 1000n) / 1000;
  if (NUMERIC.test(v)) return epochToMs(Number(v));
  const frac = /[.,](\d{4,})/.exec(v);
  // parseTimestamp kept the first three digits of the fraction; the rest are added back.
  return frac ? ms + Number('0.' + frac[1].slice(3)) : ms;
}
