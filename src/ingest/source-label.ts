import path from 'node:path';

/**
 * The source a file's events get when neither `--source` nor the line names one: the file name without
 * directory, compression, extension, rotation number or date (`api-2026-11-20.jsonl.1.gz` -> `api`).
 */
export function sourceLabel(filePath: string): string {
  let name = path.basename(filePath).replace(/\.gz$/i, '');
  name = name.replace(/(\.\d+)+$/, '');
  name = name.replace(/\.(jsonl|ndjson|json|log|txt)$/i, '');
  name = name.replace(/[-_.]?\d{4}-?\d{2}-?\d{2}(T\d{2}(-?\d{2})?)?/g, '');
  name = name.replace(/([-_.]\d+)+$/, '').replace(/^[-_.]+|[-_.]+$/g, '');
  return name || path.basename(filePath);
}
