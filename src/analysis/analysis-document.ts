import type { Resolution } from './resolution.js';

/**
 * The analysis document: the one output of the analysis stage. The terminal summary, `--format json`, the rules
 * and the HTML/Markdown view model all read it; nothing downstream queries the store. Times are epoch ms (UTC)
 * unless a field says ISO; durations are ms; rates are fractions 0..1. Documented in docs/analysis-json.md.
 * Bump SCHEMA_VERSION on any incompatible change.
 */
export const ANALYSIS_SCHEMA_VERSION = 1;

export interface AnalysisWindow {
  /** Inclusive start and exclusive end. */
  from: string;
  to: string;
  fromMs: number;
  toMs: number;
}

export interface ResourceStat {
  max: number;
  mean: number;
}

/** The flat stat map of one group (overall, one operation, one source), k6-style. */
export interface Kpis {
  count: number;
  okCount: number;
  errorCount: number;
  timeoutCount: number;
  successRate: number;
  errorRate: number;
  timeoutRate: number;
  /** Share of events that were retried at least once, and mean retries per event. */
  retryRate: number;
  retriesPerEvent: number;
  throughput: { meanPerMin: number; peakPerMin: number; peakMinute: number | null };
  /** Events that carried a duration; percentiles are over these. */
  durationCount: number;
  mean: number | null;
  min: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
  resources: { memoryMb: ResourceStat | null; cpuPercent: ResourceStat | null; concurrency: ResourceStat | null };
}

export interface GroupKpis extends Kpis {
  /** Operation name (or source name when grouped by source). */
  op: string;
  /** This group's change against the previous window, when it had events there. */
  change?: KpiChange;
}

export interface Delta {
  before: number | null;
  after: number | null;
  /** after − before */
  abs: number | null;
  /** (after − before) / before; null when before is 0 or missing. */
  rel: number | null;
}

/** Change of every KPI between two windows: key = KPI name (count, successRate, p95, throughput.meanPerMin …). */
export type KpiChange = Record<string, Delta>;

export interface Comparison {
  label: string;
  window: AnalysisWindow;
  overall: Kpis;
  change: KpiChange;
  /** Operations whose p95 got worse by more than the regression threshold. */
  regressions: Array<{ op: string; before: number; after: number; rel: number }>;
}

export interface ErrorCategoryStat {
  category: string;
  count: number;
  /** Share of all failures in the window. */
  share: number;
  ops: Array<{ op: string; count: number }>;
}

export interface ErrorGroupStat {
  op: string;
  category: string;
  fingerprint: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  example: string;
  code: string | null;
}

export interface SeriesPoint {
  /** Start of the bucket (hour or day). */
  t: number;
  count: number;
  errorCount: number;
  errorRate: number;
  timeoutCount: number;
  meanPerMin: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  memoryMaxMb: number | null;
  concurrencyMax: number | null;
  retriesPerEvent: number;
}

/** Theil–Sen slope with a Mann–Kendall test. */
export interface TrendTest {
  metric: string;
  /** Change per hour (hourly series) or per day (daily series), in the metric's unit. */
  slopePerStep: number;
  /** Slope relative to the series median, per step. */
  relSlopePerStep: number | null;
  /** Mann–Kendall S, Z and two-sided p-value. */
  s: number;
  z: number;
  pValue: number;
  significant: boolean;
  direction: 'up' | 'down' | 'flat';
  points: number;
}

export interface ChangePoint {
  metric: 'p95' | 'errorRate';
  op: string | null;
  at: number;
  before: number;
  after: number;
}

export interface ErrorSpike {
  at: number;
  count: number;
  errorCount: number;
  errorRate: number;
  typicalErrorRate: number;
  topGroup: ErrorGroupStat | null;
}

/** A dimension value that explains part of a change (docs/rules.md "Onset and attribution"). */
export interface Attribution {
  /** host, version, region, status … (a field kept from the lines), `source`, or `op` for a change of all operations. */
  dimension: string;
  value: string;
  /** Share (0..1) of the change on this value: its slow or failed events beyond the pre-onset rate, over all such events. */
  share: number;
  /** Share of the changed events (slow or failed after the onset) with this value, and of the rest. */
  changedShare: number;
  restShare: number;
  changedEvents: number;
  /** One-sided two-proportion z-test of changedShare > restShare, Bonferroni-adjusted over every value tested. */
  pValue: number;
  confidence: 'high' | 'medium';
}

/** Something that got worse at a point in time: when it started and where it is (docs/rules.md). */
export interface Change {
  /** Slower (latency) or failing more (errors). */
  kind: 'latency' | 'errors';
  /** The operation, or null for everything in scope. */
  op: string | null;
  /** What found it: a p95 regression against a comparison window, an error spike, a change point of a series, or a failure rate that rose against the window before. */
  foundBy: 'regression' | 'spike' | 'change-point' | 'error-rise';
  /** The spike's hour or the change point's bucket (epoch ms); null for regressions and rises. */
  foundAt: number | null;
  /** First minute of the new level (ISO-8601 UTC), or null when no single onset stands out (a gradual change). */
  onset: string | null;
  onsetMs: number | null;
  /** The metric that found it, before and after: p95 in ms (latency) or the failure rate (errors). */
  before: number | null;
  after: number | null;
  /** Bonferroni-adjusted p-value of the onset split (per-minute rollups); null without an onset. */
  onsetPValue: number | null;
  /** The range read raw to compare the changed events with the rest. */
  compared: { from: number; to: number } | null;
  changedEvents: number;
  restEvents: number;
  /** Best explanation first; empty when nothing stands out or attribution was not possible (see note). */
  attribution: Attribution[];
  note: string | null;
  /** One line: `db.query p95 3.0× since 2026-11-12 09:00Z, 96 % of the slowdown on version 2.4.1 (host api-3, api-5)`. */
  summary: string;
}

export interface Trends {
  resolution: Resolution;
  series: SeriesPoint[];
  /** Per operation p95 series for the busiest operations (same buckets as `series`). */
  opSeries: Array<{ op: string; p95: Array<number | null>; count: number[] }>;
  tests: TrendTest[];
  changePoints: ChangePoint[];
  spikes: ErrorSpike[];
}

export type Level = 'ok' | 'warning' | 'critical';

export interface ThresholdResult {
  metric: string;
  op: string;
  value: number | null;
  level: Level;
  target?: number;
  warning?: number;
  critical?: number;
  /** "higher" when larger values are worse (latency), "lower" when smaller are (success rate). */
  worse: 'higher' | 'lower';
}

/** Failure rate and latency per concurrency level (from raw events whose lines carry concurrency). */
export interface ConcurrencyLevel {
  /** Lower bound of the bucket [level, level + width). */
  level: number;
  /** Bucket width: 1 when every integer level is its own row, wider when there are many levels. */
  width?: number;
  count: number;
  errorRate: number;
  p95: number | null;
}

export interface SlowExample {
  ts: number;
  op: string;
  source: string;
  durationMs: number;
  ok: boolean;
}

export interface DataQuality {
  /** Quarantined lines of the whole store (quarantine entries carry no timestamp)… */
  quarantined: number;
  /** …and the events stored beside them, so the share of unreadable lines is over the same lines. */
  storedEvents?: number;
  /** New operation names that arrived after the store's cap (`ingest.maxOperations`) and went to "(other operations)". */
  foldedOperations?: number;
  /** Per dimension: values that arrived after it held `dimensions.maxValues` and went to "(other values)" (counted once per stored chunk). */
  foldedValues?: Record<string, number>;
  quarantineReasons: Array<{ reason: string; count: number }>;
  /**
   * Events stamped after the later of `now` and the store's last ingest (clock skew): later data behind a `--now`
   * pinned in the past is not skew.
   */
  futureEvents: number;
  /** Stretches inside the window with no events at all, longer than the gap threshold. */
  gaps: Array<{ from: number; to: number; minutes: number }>;
}

export interface Recommendation {
  id: string;
  rule: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  category: 'performance' | 'reliability' | 'resources' | 'capacity' | 'data quality';
  title: string;
  evidence: string[];
  recommendation: string;
  action: string;
  /** Shell commands for the action, quoted for bash, zsh and POSIX sh. */
  commands: string[];
  score: number;
  ops: string[];
  /** About the whole store rather than the window (quarantined lines): ranked last and not part of the verdict. */
  storeWide?: boolean;
}

export interface AnalysisDocument {
  schemaVersion: number;
  /** The instant "now" was pinned to (`--now`) or read from the clock. */
  now: string;
  window: AnalysisWindow;
  /** `op`, `source`, or the dimension the groups are values of (`host`, `version` …). */
  groupBy: string;
  filters: { op?: string; source?: string; where?: Record<string, string> };
  method: {
    percentiles: 'sketch' | 'exact' | 'mixed';
    /** Relative error bound of sketch percentiles (0.01 = 1 %); 0 for exact. */
    relativeError: number;
    description: string;
  };
  coverage: { firstEvent: number | null; lastEvent: number | null; sources: string[]; rawRetainedFrom: number | null };
  overall: Kpis;
  operations: GroupKpis[];
  errorCategories: ErrorCategoryStat[];
  errorGroups: ErrorGroupStat[];
  comparison: { previous: Comparison | null; baseline: (Comparison & { name: string }) | null };
  trends: Trends;
  /** Every regression, spike and level change with its onset and attribution, most important first. */
  changes: Change[];
  thresholds: ThresholdResult[];
  concurrency: ConcurrencyLevel[];
  slowest: SlowExample[];
  dataQuality: DataQuality;
  recommendations: Recommendation[];
  verdict: { status: 'healthy' | 'attention' | 'critical'; summary: string };
}
