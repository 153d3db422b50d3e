import { DEFAULT_MAX_DIMENSION_VALUES } from '../core/op-event.js';
import type { JsonRecord } from './formats/format-adapter.js';

/** `dimensions` in oplens.config.json: which fields of the lines are kept to slice events by. */
export interface DimensionsConfig {
  /** Field names or dotted paths always kept (when a line carries them). */
  include: string[];
  /** Field names never kept, even when they look like dimensions. */
  exclude: string[];
  /** Distinct values a dimension keeps in a store; later ones are folded into "(other values)" and reported. */
  maxValues: number;
  /** Dimensions kept per file at most (the first found, known names first). */
  maxPerFile: number;
}

/** A dimension of a file: its name in the store and where a line holds it. */
export interface Dimension {
  name: string;
  path: string;
}

export const DEFAULT_DIMENSIONS: DimensionsConfig = { include: [], exclude: [], maxValues: DEFAULT_MAX_DIMENSION_VALUES, maxPerFile: 12 };

/**
 * Field names that slice operations in every fleet: kept whenever a line carries them as text or a small number,
 * without looking at how many values the sample shows (a resumed file may offer only a line or two).
 */
const KNOWN = new Set([
  'host', 'hostname', 'service', 'service_name', 'serviceName', 'version', 'service_version', 'release', 'build',
  'region', 'zone', 'az', 'availability_zone', 'datacenter', 'dc', 'cluster', 'env', 'environment', 'stage',
  'status', 'statusCode', 'status_code', 'method', 'http_method', 'request_method', 'verb', 'protocol',
  'customer', 'customer_id', 'customerId', 'tenant', 'tenant_id', 'tenantId', 'account', 'plan', 'tier',
  'pod', 'node', 'instance', 'container', 'namespace', 'deployment', 'app', 'application', 'shard', 'partition',
  'db', 'database', 'queue', 'topic', 'peer', 'upstream', 'backend', 'model', 'provider', 'client', 'platform',
  'browser', 'os', 'country', 'language', 'tool', 'target', 'worker',
]);

/** What the event itself already is (its outcome, operation, severity): slicing by them says nothing new. */
const ROLES = new Set([
  'success', 'ok', 'failed', 'operation', 'op', 'name', 'endpoint', 'route', 'operationType', 'event', 'type',
  'level', 'severity', 'timedOut', 'timed_out', 'timeout', 'exitCode', 'exit_code', 'retries', 'retry',
  'concurrency', 'activeRequests', 'inflight', 'in_flight', 'memoryMb', 'cpuPercent',
]);

/** Names that carry ids, times, free text or measures: never dimensions unless `include` names them. */
const NEVER = /(^|_|\b)(id|ids|uuid|guid|trace|span|session|request|correlation|timestamp|time|ts|date|message|msg|text|error|err|stack|url|uri|path|query|body|ip|addr|address|user_agent|useragent|referer|referrer|token|hash|duration|elapsed|latency|size|bytes|count|memory|cpu)($|_)|Id$|Ids$|At$|Ms$|Seconds$/i;

/** Longest value kept; longer text is not a category. */
export const MAX_VALUE_LENGTH = 100;
/** An unknown field needs this many occurrences in the sample, with at most half of them distinct, to be kept. */
const MIN_OCCURRENCES = 8;

/**
 * Decides once per file, from its first records, which fields are dimensions: the adapter's own (a format may
 * name where its host or status sits), `include`, every known name, and any other top-level field whose sample
 * values are short texts, booleans or integers repeating often enough to be categories (at most half distinct).
 * Fields the adapter already reads as the time, operation, duration or outcome stay out unless they are
 * categories (status, method). The per-line cost is then one property read per dimension.
 */
export function chooseDimensions(samples: readonly JsonRecord[], cfg: DimensionsConfig, own: readonly Dimension[] = []): Dimension[] {
  const exclude = new Set(cfg.exclude);
  const out: Dimension[] = [];
  const taken = new Set<string>();
  const add = (d: Dimension) => {
    if (taken.has(d.name) || exclude.has(d.name) || exclude.has(d.path) || out.length >= cfg.maxPerFile) return;
    taken.add(d.name);
    out.push(d);
  };
  for (const d of own) add(d);
  for (const path of cfg.include) add({ name: path, path });
  const seen = new Map<string, { n: number; values: Set<string> }>();
  for (const rec of samples) {
    for (const k in rec) {
      const v = valueOf(rec[k]);
      if (v === undefined) continue;
      const s = seen.get(k) ?? seen.set(k, { n: 0, values: new Set() }).get(k)!;
      s.n++;
      s.values.add(v);
    }
  }
  const keys = [...seen.keys()];
  for (const k of keys) if (KNOWN.has(k)) add({ name: k, path: k });
  for (const k of keys) {
    const s = seen.get(k)!;
    if (ROLES.has(k) || NEVER.test(k) || s.n < MIN_OCCURRENCES || s.values.size > s.n / 2) continue;
    add({ name: k, path: k });
  }
  return out;
}

/** The dimension values of one record, or undefined when it carries none. */
export function readDimensions(rec: JsonRecord, dims: readonly Dimension[]): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const d of dims) {
    const v = valueOf(d.path.includes('.') && rec[d.path] === undefined ? deep(rec, d.path) : rec[d.path]);
    if (v !== undefined) (out ??= {})[d.name] = v;
  }
  return out;
}

/** Text, a boolean or an integer as a category value; objects, fractions and long text are not categories. */
function valueOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v !== '' && v.length <= MAX_VALUE_LENGTH ? v : undefined;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : undefined;
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

function deep(rec: JsonRecord, path: string): unknown {
  let cur: unknown = rec;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as JsonRecord)[part];
  }
  return cur;
}
