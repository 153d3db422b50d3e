import { ConfigError, UsageError } from '../../errors.js';
import type { DimensionsConfig } from '../dimensions.js';
import { caddyAdapter } from './caddy.js';
import { cloudflareAdapter } from './cloudflare.js';
import { codexAdapter } from './codex.js';
import { envoyAdapter } from './envoy.js';
import { fastifyAdapter } from './fastify.js';
import type { Detection, FormatAdapter, JsonRecord } from './format-adapter.js';
import { gardenerAdapter } from './gardener.js';
import { gcpHttpAdapter } from './gcp-http.js';
import { godelAdapter } from './godel.js';
import { homeostasisAdapter } from './homeostasis.js';
import { k6Adapter } from './k6.js';
import { k8sAuditAdapter } from './k8s-audit.js';
import { lambdaAdapter } from './lambda.js';
import { mappedAdapter, type FieldMapping } from './mapped.js';
import { nativeAdapter, type NativeOptions } from './native.js';
import { otelAdapter } from './otel.js';
import { pinoHttpAdapter } from './pino-http.js';
import { rustTracingAdapter } from './rust-tracing.js';
import { structlogRequestsAdapter } from './structlog-requests.js';
import { traefikAdapter } from './traefik.js';

/** Options adapters take from config: the native duration unit and the `fields` mapping. */
export interface FormatOptions extends NativeOptions {
  fields?: FieldMapping;
  /** Which fields of the lines are kept as dimensions (config `dimensions`). */
  dimensions?: DimensionsConfig;
}

/** Every known format, most specific first; adding a format is one file and one line here. */
export function allFormats(opts: FormatOptions = {}): FormatAdapter[] {
  return [
    ...(opts.fields ? [mappedAdapter(opts.fields, opts)] : []),
    otelAdapter,
    k6Adapter,
    lambdaAdapter,
    codexAdapter,
    caddyAdapter,
    traefikAdapter,
    envoyAdapter,
    cloudflareAdapter,
    gcpHttpAdapter,
    k8sAuditAdapter,
    godelAdapter,
    homeostasisAdapter,
    rustTracingAdapter,
    fastifyAdapter,
    pinoHttpAdapter,
    structlogRequestsAdapter,
    gardenerAdapter,
    nativeAdapter(opts),
  ];
}

/** Records detection reads; the FormatAdapter contract promises at most this many. */
export const DETECT_RECORDS = 20;
/** Records a chosen format is checked against (`validate`) before the file is read with it. */
export const CHECK_RECORDS = 100;

/**
 * Stops a file from being read with an adapter that does not fit it (a config mapping whose path occurs in none
 * of the first records): a ConfigError naming the key, the path and the file.
 */
export function checkFormat(adapter: FormatAdapter, records: JsonRecord[], label: string): void {
  const problem = adapter.validate?.(records.slice(0, CHECK_RECORDS));
  if (problem) {
    throw new ConfigError(
      `${problem} in the first ${Math.min(records.length, CHECK_RECORDS)} lines of ${label}`,
      'fix the path in "fields" of oplens.config.json (oplens detect FILE shows which mapped paths are found)',
    );
  }
}

export interface DetectResult {
  adapter: FormatAdapter;
  detection: Detection;
  /** Every format's score, best first: `oplens detect` shows them. */
  ranking: Array<{ name: string } & Detection>;
  /** False when no format scored MIN_SCORE: the records are of a shape oplens does not know. */
  known: boolean;
}

/** Below this score no format is trusted and the file is read as native (its lines may then be quarantined). */
const MIN_SCORE = 0.05;

export function detectFormat(samples: JsonRecord[], formats: FormatAdapter[]): DetectResult {
  const first = samples.length > DETECT_RECORDS ? samples.slice(0, DETECT_RECORDS) : samples;
  const ranking = formats
    .map((f) => ({ name: f.name, adapter: f, ...f.detect(first) }))
    .sort((a, b) => b.score - a.score);
  const best = ranking[0];
  const native = ranking.find((r) => r.name === 'native') ?? best;
  const pick = best.score >= MIN_SCORE ? best : native;
  return {
    adapter: pick.adapter,
    detection: { score: pick.score, reason: pick.reason },
    ranking: ranking.map(({ name, score, reason }) => ({ name, score, reason })),
    known: best.score >= MIN_SCORE,
  };
}

export function formatByName(name: string, formats: FormatAdapter[]): FormatAdapter {
  const f = formats.find((x) => x.name === name);
  if (!f) {
    throw new UsageError(
      `--log-format: unknown format "${name}"`,
      `expected auto or one of: ${formats.map((x) => x.name).join(', ')} (oplens formats lists them)`,
    );
  }
  return f;
}
