import fs from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { InputError } from '../errors.js';
import { expandFileGlob, isFileGlob } from './file-glob.js';

/** What `ingest` reads: a file on disk or standard input. */
export type InputFile = { kind: 'file'; path: string } | { kind: 'stdin' };

/** Names a directory is searched for (watch follows the same). */
export const LOG_FILE = /\.(jsonl|ndjson|log|json)(\.gz)?$/i;

/**
 * Turns command-line paths into files: `-` is stdin, a directory is searched recursively for log files, a glob
 * is expanded. Symlink loops are visited once. A path that matches nothing is an error naming that path.
 */
export function expandPaths(args: string[]): InputFile[] {
  const out: InputFile[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    const real = safeRealpath(p);
    if (seen.has(real)) return;
    seen.add(real);
    out.push({ kind: 'file', path: p });
  };
  for (const arg of args) {
    if (arg === '-') {
      out.push({ kind: 'stdin' });
      continue;
    }
    if (isFileGlob(arg)) {
      const matches = expandFileGlob(arg);
      if (matches.length === 0) throw new InputError(`no files match ${arg}`, 'check the pattern; quote it so the shell does not expand it');
      matches.forEach(add);
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(arg);
    } catch (e) {
      throw inputError(e, arg);
    }
    if (st.isDirectory()) {
      const files = logFilesIn(arg);
      if (files.length === 0) {
        throw new InputError(`no log files in directory ${arg}`, 'oplens reads *.jsonl, *.ndjson, *.log, *.json and their .gz');
      }
      files.forEach(add);
    } else {
      add(arg);
    }
  }
  return out;
}

/**
 * The log files below `dir`, at any depth and hidden ones included (a directory given by name is read whole:
 * `.godel/events/` is where one seed system logs), following symlinks and visiting each real directory once.
 */
function logFilesIn(dir: string): string[] {
  const under = joinUnder(dir);
  return globSync('**/*.{jsonl,ndjson,log,json}{,.gz}', { cwd: dir, dot: true, caseSensitiveMatch: false, followSymbolicLinks: true })
    .sort((a, b) => a.localeCompare(b))
    .map(under);
}

/**
 * `(rel) => path.join(dir, rel)` for the normalized relative paths a directory walk gives (no `.` or `..` segment,
 * no empty one): the directory is normalized once, not with every one of 100,000 files.
 */
export function joinUnder(dir: string): (rel: string) => string {
  if (path.sep !== '/') return (rel) => path.join(dir, rel); // a walk's paths use `/`, which join turns into `\\`
  const d = path.normalize(dir);
  const prefix = d === '.' || d === './' ? '' : d.endsWith(path.sep) ? d : d + path.sep;
  return (rel) => prefix + rel;
}

/** One system call per path (the JavaScript realpathSync looks at every component of every path in turn). */
function safeRealpath(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

function inputError(e: unknown, p: string): InputError {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new InputError(`no such file or directory: ${p}`, 'check the path');
  if (code === 'EACCES' || code === 'EPERM') return new InputError(`permission denied: ${p}`, 'check the file permissions');
  return new InputError(`cannot read ${p}: ${(e as Error).message}`);
}

export { inputError };
