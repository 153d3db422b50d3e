/**
 * oplens as a library: `import { openStore, ingest, analyze, render } from 'oplens'`. This module is the package's
 * only entry point (package.json `exports`), so the modules behind it can move without breaking a script; every
 * type a script sees is exported from here. The CLI is a separate consumer of the same stages.
 */
import { analyze as analyzeWindow } from './analysis/analyze.js';
import type { AnalysisDocument } from './analysis/analysis-document.js';
import { loadConfig, parseConfig, type OplensConfig } from './config/load-config.js';
import { UsageError } from './errors.js';
import { jsonText } from './display/printable.js';
import { expandPaths } from './ingest/expand-paths.js';
import { ingest as ingestInputs } from './pipeline/ingest.js';
import type { IngestResult } from './pipeline/ingest-result.js';
import { toIngestResult } from './pipeline/to-ingest-result.js';
import { renderHtml } from './report/render-html.js';
import { renderMarkdown } from './report/render-markdown.js';
import { renderText } from './report/text/render-text.js';
import { buildViewModel } from './report/view-model.js';
import { assertHasEvents } from './report/has-events.js';
import { isClickHouseUrl } from './store/clickhouse/target.js';
import type { ReadStore } from './store/read-store.js';
import type { IngestStore } from './store/store.js';
import { openIngestStore, openReadStore } from './cli/open-db.js';
import { configReadOptions } from './cli/read-options.js';
import { palette } from './cli/terminal.js';
import { parseWindow } from './cli/window-flags.js';

export type * from './analysis/analysis-document.js';
export { ANALYSIS_SCHEMA_VERSION } from './analysis/analysis-document.js';
export type { FileStatus, IngestResult, IngestedFile } from './pipeline/ingest-result.js';
export { OplensError } from './errors.js';

/**
 * A config: the path of an oplens.config.json, or its content as an object (validated the same way). Left out,
 * it is found as the CLI finds it: `OPLENS_CONFIG`, else the nearest oplens.config.json from the working directory
 * up, else the defaults.
 */
export type ConfigInput = string | Record<string, unknown>;

/** An open store: a SQLite file, or a ClickHouse fleet store (read only). Close it when done. */
export interface Store {
  /** The path or URL it was opened with. */
  readonly location: string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Open for reading only (a SQLite file must exist then). Default false; a clickhouse:// URL is always read only. */
  readonly?: boolean;
}

interface Opened {
  read: ReadStore;
  /** The local store ingest writes into; null for a read-only or fleet store. */
  writable: IngestStore | null;
  close(): Promise<void>;
}

const opened = new WeakMap<Store, Opened>();

/** Opens the store at a path (`oplens.db`; created unless `readonly`) or a fleet store's URL (`clickhouse://`, `clickhouses://`, docs/clickhouse.md). */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  let inner: Opened;
  if (options.readonly || isClickHouseUrl(location)) {
    const read = await openReadStore(location);
    inner = { read, writable: null, close: () => read.close() };
  } else {
    const local = await openIngestStore(location);
    inner = { read: local, writable: local, close: () => local.close() };
  }
  let closed = false;
  const store: Store = {
    location,
    close: async () => {
      if (closed) return;
      closed = true;
      opened.delete(store);
      await inner.close();
    },
  };
  opened.set(store, inner);
  return store;
}

function internals(store: Store): Opened {
  const inner = opened.get(store);
  if (!inner) throw new UsageError('the store is closed, or was not opened by openStore()');
  return inner;
}

export interface IngestOptions {
  /** `auto` (the default: detected per file) or a format name, as `oplens formats` lists them. */
  logFormat?: string;
  /** Label for the events (default: from the line, else the file name). */
  source?: string;
  config?: ConfigInput;
}

/**
 * Reads files, directories, globs (`logs/**\/*.jsonl.gz`) or `-` (stdin) into the store, from where the last run
 * stopped. A file that cannot be read has status `failed` and a note; the others are read all the same.
 */
export async function ingest(store: Store, paths: string[], options: IngestOptions = {}): Promise<IngestResult> {
  const writable = internals(store).writable;
  if (!writable) throw new UsageError(`${store.location} was opened read only`, 'ingest writes into a local SQLite store opened without readonly; `oplens ship` sends it on to ClickHouse');
  const config = resolveConfig(options.config);
  const summary = await ingestInputs({
    store: writable, paths, inputs: expandPaths(paths), format: options.logFormat ?? 'auto', source: options.source,
    ...configReadOptions(config),
  });
  return toIngestResult(summary);
}

/** A time: a Date, epoch milliseconds, ISO-8601 text (no zone means UTC), or (for since/until) an age such as `7d`. */
export type Instant = Date | number | string;

/** The window and its slicing, as `oplens analyze` takes them. */
export interface AnalyzeOptions {
  /** Window start, inclusive. */
  since?: Instant;
  /** Window end, exclusive (default now). */
  until?: Instant;
  /** Window length in days (default 7) or hours, counted back from `until` or forward from `since`. */
  days?: number;
  hours?: number;
  /** Pins "now", for reproducible results. */
  now?: Instant;
  /** Only operations matching this glob (`*`, `?`). */
  op?: string;
  source?: string;
  /** `op` (default), `source`, or a dimension kept from the lines (`host`, `version` …). */
  groupBy?: string;
  /** Only events whose dimensions have these values. */
  where?: Record<string, string>;
  /** Exact percentiles from raw events (the window must still be retained). */
  exact?: boolean;
  /** Also compare with a baseline saved by `oplens baseline save`. */
  baseline?: string;
  /** Compare with the window before (default true). */
  compare?: boolean;
  config?: ConfigInput;
}

/**
 * The analysis of a window: KPIs, percentiles, comparisons, trends, thresholds and ranked recommendations, the
 * document `oplens analyze --json` prints (docs/analysis-json.md). A window without events gives a document with
 * `overall.count` 0, which render() refuses.
 */
export async function analyze(store: Store, options: AnalyzeOptions = {}): Promise<AnalysisDocument> {
  const read = internals(store).read;
  const w = parseWindow({
    since: instantText(options.since), until: instantText(options.until), now: instantText(options.now),
    days: options.days?.toString(), hours: options.hours?.toString(),
  });
  return analyzeWindow(read, {
    ...w, op: options.op, source: options.source, groupBy: options.groupBy, where: options.where, exact: options.exact,
    baseline: options.baseline, ...(options.compare === false ? { previous: null } : {}),
  }, resolveConfig(options.config));
}

export type RenderFormat = 'html' | 'md' | 'text' | 'json';

export interface RenderOptions {
  /** The report's title (html, md). */
  title?: string;
  /** A directory whose templates and partials override the shipped ones file by file (html, md). */
  templateDir?: string;
  /** ANSI colours in text (default false). */
  color?: boolean;
}

/**
 * The document as a report: one self-contained HTML page, GitHub-flavoured Markdown, the terminal summary, or
 * JSON. Everything from a log is escaped for its format. A window without events is refused, never an empty report.
 */
export function render(doc: AnalysisDocument, format: RenderFormat, options: RenderOptions = {}): string {
  assertHasEvents(doc, 'analyze a window that has events');
  switch (format) {
    case 'html':
      return renderHtml(buildViewModel(doc, { title: options.title }), options.templateDir);
    case 'md':
      return renderMarkdown(buildViewModel(doc, { title: options.title }), options.templateDir);
    case 'text':
      return renderText(doc, palette(!!options.color));
    case 'json':
      return jsonText(doc) + '\n';
    default:
      throw new UsageError(`render: unknown format "${String(format)}"`, 'expected html, md, text or json');
  }
}

function resolveConfig(input: ConfigInput | undefined): OplensConfig {
  return typeof input === 'object' && input !== null ? parseConfig(input, 'the config object') : loadConfig(input);
}

function instantText(t: Instant | undefined): string | undefined {
  if (t === undefined || typeof t === 'string') return t;
  const ms = t instanceof Date ? t.getTime() : t;
  if (!Number.isFinite(ms)) throw new UsageError(`expected a valid time, got ${String(t)}`);
  return new Date(ms).toISOString();
}
