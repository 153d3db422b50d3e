import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';

/** What `ingest` reads: a file on disk or standard input. */
export type InputFile = { kind: 'file'; path: string; gzip: boolean } | { kind: 'stdin' };

/** Names a directory is searched for (watch follows the same). */
export const LOG_FILE = /\.(jsonl|ndjson|log|json)(\.gz)?$/i;
export const GLOB_CHARS = /[*?[\]{}]/;

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
    out.push({ kind: 'file', path: p, gzip: p.toLowerCase().endsWith('.gz') });
  };
  for (const arg of args) {
    if (arg === '-') {
      out.push({ kind: 'stdin' });
      continue;
    }
    if (GLOB_CHARS.test(arg) && !fs.existsSync(arg)) {
      const matches = globFiles(arg);
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
      const files = walk(arg, new Set());
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

/** Files below `dir` whose names pass `keep`, following symlinks and visiting each real directory once. */
function walk(dir: string, visited: Set<string>, keep: (name: string) => boolean = (n) => LOG_FILE.test(n)): string[] {
  const real = safeRealpath(dir);
  if (visited.has(real)) return []; // a symlink loop
  visited.add(real);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const st = fs.statSync(p);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        continue; // dangling link
      }
    }
    if (isDir) files.push(...walk(p, visited, keep));
    else if (isFile && keep(e.name)) files.push(p);
  }
  return files;
}

function globFiles(pattern: string): string[] {
  // fs.globSync arrives only in Node 22, so patterns are matched against the walked tree.
  const { root, re } = splitGlob(pattern);
  const all = walk(root, new Set(), () => true);
  return all.filter((f) => re.test(path.relative(root, f).split(path.sep).join('/')));
}

/** A glob's fixed leading directory, and a matcher for paths relative to it (with `/` separators). */
export function splitGlob(pattern: string): { root: string; re: RegExp } {
  const parts = pattern.split(/[\\/]/);
  const base = parts.findIndex((part) => GLOB_CHARS.test(part));
  return { root: parts.slice(0, base).join('/') || '.', re: globToRegExp(parts.slice(base).join('/')) };
}

/** `*` within a segment, `**` across segments, `?` one character, `{a,b}` alternatives. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end === -1) re += '\\{';
      else {
        re += '(?:' + glob.slice(i + 1, end).split(',').map(escapeRe).join('|') + ')';
        i = end;
      }
    } else re += escapeRe(c);
  }
  return new RegExp('^' + re + '$');
}

function escapeRe(s: string): string {
  return s.replace(/[.+^$()|[\]\\]/g, '\\$&');
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
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
