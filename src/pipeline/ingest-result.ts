/**
 * An ingest run as scripts see it (`ingest --json`, the library's ingest()). Types only, with no imports, so the
 * package's public declarations stay independent of the pipeline's inner modules.
 */

/** What happened to an input: read; unchanged since the last run; skipped, gone, yielded to another process, waiting; or failed. */
export type FileStatus = 'read' | 'unchanged' | 'waiting' | 'yielded' | 'skipped' | 'gone' | 'failed';

/** What happened to one input, as `ingest --json` prints it and the library returns it. */
export interface IngestedFile {
  path: string;
  status: FileStatus;
  /** The log format read (auto-detected unless forced), or null when nothing was read. */
  format: string | null;
  events: number;
  lines: number;
  quarantined: number;
  bytes: number;
  /** Why a file failed or was left. */
  note?: string;
}

/** One ingest run for scripts: totals, then each input. */
export interface IngestResult {
  events: number;
  lines: number;
  bytes: number;
  /** Bad lines, kept in the store with file, line and reason (`oplens status`). */
  quarantined: number;
  /** Valid records that are not operations (log messages, metrics). */
  ignored: number;
  files: IngestedFile[];
}
