import { Option } from 'commander';
import { UsageError } from '../errors.js';

/** `--log-format NAME`: how the logs are read (ingest, watch); `--format` is for output formats. */
export function logFormatOption(): Option {
  return new Option('--log-format <name>', 'log format, or auto to detect it per file (oplens formats lists them)').default('auto');
}

/**
 * The log format from `--log-format`, or from the older `--format` spelling, which still works with a
 * deprecation note on stderr.
 */
export function resolveLogFormat(logFormat: string, legacy: string | undefined, warn: (msg: string) => void): string {
  if (legacy === undefined) return logFormat;
  if (logFormat !== 'auto') throw new UsageError(`--format ${legacy} and --log-format ${logFormat} both give the log format`, 'give --log-format only');
  warn(`oplens: --format for the log format is deprecated; use --log-format ${legacy}`);
  return legacy;
}
