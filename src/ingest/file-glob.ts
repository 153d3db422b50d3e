import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { globSync, type FileSystemAdapter } from 'tinyglobby';

/**
 * File-path globs on the command line (`logs/{api,worker}/*.jsonl`, `logs/2026-11-[0-9]*.log.gz`), with the
 * shells' rules: `*` and `?` stay inside one path segment, `**` crosses segments, braces nest, classes are
 * classes, and hidden entries (`.x`) match only a pattern that names the dot. (Operation names have their own
 * globs, where `*` crosses `/`: analysis/op-glob.ts.)
 */
export interface FileGlob {
  /** The fixed directory before the first wildcard, as written (`.` when the pattern starts with one). */
  base: string;
  /** The pattern after `base`. */
  rest: string;
  /** Whether the pattern writes a dot where a name starts, so that hidden entries may match. */
  namesDot: boolean;
  /** Whether a path relative to `base` (with `/` separators) matches. */
  matches(rel: string): boolean;
  /** Whether a directory relative to `base` can hold a match, so a walk may skip every other one. */
  mayContain(relDir: string): boolean;
}

/** Whether a command-line path is a glob rather than a name (a file literally named `a[1].log` is a name). */
export function isFileGlob(arg: string): boolean {
  return picomatch.scan(arg).isGlob && !fs.existsSync(arg);
}

export function fileGlob(pattern: string): FileGlob {
  const scan = picomatch.scan(pattern.split(path.sep).join('/'));
  const base = scan.base || '.';
  const rest = scan.glob;
  const match = picomatch(rest, { dot: false });
  // picomatch lets `*` inside braces match a leading dot (`{*.jsonl,*.log}` takes `.x.jsonl`), so hidden
  // segments are refused here unless the pattern writes a dot where a segment or alternative starts.
  const namesDot = /(^|[/{,(|])\./.test(rest);
  const visible = (rel: string) => namesDot || !rel.split('/').some((s) => s.startsWith('.'));
  const parts = picomatch.scan(rest, { parts: true }).parts ?? [rest];
  const partMatchers = parts.map((p) => picomatch(p, { dot: false }));
  return {
    base,
    rest,
    namesDot,
    matches: (rel) => visible(rel) && match(rel),
    mayContain(relDir) {
      if (relDir === '' || relDir === '.') return true;
      if (!visible(relDir)) return false;
      const segs = relDir.split('/');
      for (let i = 0; i < segs.length; i++) {
        // A `**` part, or a brace whose alternatives hold `/`, can reach any depth: keep the directory.
        if (i >= parts.length - 1) return parts.at(-1) === '**' || parts.some((p) => p.includes('/'));
        if (parts[i] === '**' || parts[i].includes('/')) return true;
        if (!partMatchers[i](segs[i])) return false;
      }
      return true;
    },
  };
}

/**
 * The files a glob matches, sorted, as paths that start with its base as written. Only directories that can
 * hold a match are read (tinyglobby prunes the walk); symlinked directories are followed, loops once.
 * `fsAdapter` lets a test count the directories read.
 */
export function expandFileGlob(pattern: string, fsAdapter?: FileSystemAdapter): string[] {
  const g = fileGlob(pattern);
  let found: string[];
  try {
    found = globSync(g.rest, { cwd: g.base, dot: g.namesDot, expandDirectories: false, followSymbolicLinks: true, onlyFiles: true, fs: fsAdapter });
  } catch {
    return []; // an unreadable base directory holds no match
  }
  return found
    .filter((rel) => g.matches(rel))
    .sort((a, b) => a.localeCompare(b))
    .map((rel) => path.join(g.base, rel));
}
