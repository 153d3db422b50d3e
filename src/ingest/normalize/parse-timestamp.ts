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
    if (v.length >= 20 && v.charCodeAt(10) === 84 /* T */) ms = parseIsoUtc(v); // the common case, no regex
    else if (/^\d{17,}$/.test(v)) ms = Number(BigInt(v) / 1_000_000n); // nanoseconds as text (OTel): exact, no float
    else if (NUMERIC.test(v)) ms = epochToMs(Number(v));
    else ms = parseIsoUtc(v);
  } else {
    return null;
  }
  if (!Number.isFinite(ms) || ms < MIN_TS || ms >= MAX_TS) return null;
  // The epsilon absorbs float error of µs/ns conversions (1795183530249.9998 is ms 250).
  return Math.floor(ms + 1e-3);
}

// Log lines arrive in time order, so consecutive timestamps share their minute: "2026-11-09T00:01" is turned
// into epoch ms once and only the seconds are read per line. Any other shape takes the general path.
let cachedPrefix = '';
let cachedBase = NaN;
const FAST_TAIL = /^:(\d\d)(?:\.(\d{1,9}))?Z$/;

function parseIsoUtc(s: string): number {
  if (s.length >= 20 && s.charCodeAt(10) === 84 /* T */) {
    const prefix = s.slice(0, 16);
    const tail = FAST_TAIL.exec(s.slice(16));
    if (tail) {
      if (prefix !== cachedPrefix) {
        cachedBase = Date.parse(prefix + ':00Z');
        cachedPrefix = prefix;
      }
      const secs = Number(tail[1]);
      if (secs < 60 && Number.isFinite(cachedBase)) {
        return cachedBase + secs * 1000 + (tail[2] ? Number(tail[2].slice(0, 3).padEnd(3, '0')) : 0);
      }
    }
  }
  return parseIsoGeneral(s);
}

function parseIsoGeneral(s: string): number {
  const m = DATE_TIME.exec(s.trim());
  if (!m) return Date.parse(s); // RFC 2822 and other forms Date understands carry their own zone
  const [, date, time, , frac, rest] = m;
  // JavaScript keeps milliseconds only; longer fractions (µs, ns) are truncated to ms.
  const fraction = frac ? '.' + frac.slice(0, 3).padEnd(3, '0') : '';
  const zone = rest.trim();
  if (zone && !HAS_ZONE.test(zone)) return NaN;
  return Date.parse(`${date}T${time}${fraction}${zone || 'Z'}`);
}
