import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { ReportFormat } from './report-formats.js';

export const DEFAULT_REPORT_DIR = 'reports';

const EXT_FORMAT: Record<string, ReportFormat> = { '.html': 'html', '.htm': 'html', '.md': 'md', '.markdown': 'md' };

// A base name is one plain file name: no separators, no "..", nothing a shell or a URL would trip over.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export interface ReportTarget {
  format: ReportFormat;
  file: string;
}

/**
 * Where each report goes. `out` is a directory (default reports/; created when missing), or a file whose
 * extension picks the one format written. Paths are resolved, and a base name cannot leave the directory.
 */
export function reportTargets(o: { formats: ReportFormat[]; out?: string; baseName: string }): ReportTarget[] {
  const formats = [...new Set(o.formats)];
  const out = o.out ?? DEFAULT_REPORT_DIR;
  const ext = path.extname(out).toLowerCase();
  if (!isDirectory(out) && ext !== '' && !/[\\/]$/.test(out)) {
    const format = EXT_FORMAT[ext];
    if (!format) throw new UsageError(`--out ${out}: expected a directory or a file ending in .html or .md`);
    const other = formats.filter((f) => f !== format);
    if (other.length) {
      throw new UsageError(`--out ${out} is one ${format} file but ${other.join(' and ')} was asked for too`, 'pass a directory to --out to write several formats');
    }
    return [{ format, file: path.resolve(out) }];
  }
  if (formats.length === 0) throw new UsageError('no report format given', 'ask for html, md or both');
  if (!SAFE_NAME.test(o.baseName) || o.baseName.includes('..')) {
    throw new UsageError(`report name "${o.baseName}" is not a plain file name`, 'use letters, digits, ".", "_" and "-" only');
  }
  const dir = path.resolve(out);
  return formats.map((format) => {
    const file = path.resolve(dir, `${o.baseName}.${format}`);
    // Belt and braces on top of SAFE_NAME: the file must sit directly in the output directory.
    if (path.dirname(file) !== dir) throw new UsageError(`report name "${o.baseName}" leaves the output directory ${dir}`);
    return { format, file };
  });
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
