import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { inputError, LOG_FILE } from '../../ingest/expand-paths.js';
import { fileGlob, isFileGlob, type FileGlob } from '../../ingest/file-glob.js';

/**
 * One command-line path as watch follows it. chokidar 4 has no globs, so every target is a directory to watch
 * (`root`) and a test for the files under it: a tree's log files, one file, or the files a glob matches.
 */
type Target = { root: string; abs: string } & ({ kind: 'tree' } | { kind: 'file'; file: string } | { kind: 'glob'; glob: FileGlob });

export class WatchTargets {
  private readonly targets: Target[];

  /** Paths that do not exist are errors (as for ingest); a directory or glob with no files yet is not. */
  constructor(args: string[]) {
    this.targets = args.map(toTarget);
  }

  /** The directories chokidar is given, as written, so that file paths read as they do for `ingest`. */
  roots(): string[] {
    return [...new Set(this.targets.map((t) => t.root))];
  }

  /** Whether `p` is a file to follow. */
  accepts(p: string): boolean {
    const abs = path.resolve(p);
    return this.targets.some((t) => {
      const rel = inside(t.abs, abs);
      if (rel === null || rel === '') return false;
      if (t.kind === 'file') return abs === t.file;
      if (t.kind === 'tree') return isLogOrRotation(path.basename(abs));
      return t.glob.matches(rel.split(path.sep).join('/'));
    });
  }

  /**
   * chokidar's `ignored`: true for what no target can contain, so it neither watches nor scans it. chokidar asks
   * sometimes without stats; an unknown entry is kept when it could be a directory on the way to a match.
   */
  ignores(p: string, stats?: fs.Stats): boolean {
    if (stats?.isFile()) return !this.accepts(p);
    const abs = path.resolve(p);
    return !this.targets.some((t) => {
      const rel = inside(t.abs, abs);
      if (rel === null) return false;
      if (t.kind === 'file') return rel === '' || abs === t.file;
      if (t.kind === 'tree') return true;
      // Under a glob, only directories on the way to a match (an entry without stats may be either).
      const r = rel.split(path.sep).join('/');
      return t.glob.mayContain(r) || (!stats && t.glob.matches(r));
    });
  }

  /**
   * The files to follow as they are now, found by listing the roots (each real directory once): what polling
   * finds where no watch could be set up. Paths are joined from the roots as written, as chokidar reports them.
   */
  scan(): string[] {
    const found: string[] = [];
    const seen = new Set<string>();
    const walk = (dir: string): void => {
      let real: string;
      let entries: fs.Dirent[];
      try {
        real = fs.realpathSync(dir);
        if (seen.has(real)) return;
        seen.add(real);
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return; // gone or unreadable since it was listed: the next scan looks again
      }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        const st = e.isSymbolicLink() ? statOrNull(p) : e;
        if (st?.isDirectory()) {
          if (!this.ignores(p)) walk(p);
        } else if (st?.isFile() && this.accepts(p)) {
          found.push(p);
        }
      }
    };
    for (const root of this.roots()) walk(root);
    return found;
  }
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

function toTarget(arg: string): Target {
  if (isFileGlob(arg)) {
    const glob = fileGlob(arg);
    const root = glob.base;
    if (!isDirectory(root)) throw new InputError(`no such directory: ${root} (from ${arg})`, 'the part of a glob before its first wildcard must be a directory');
    return { kind: 'glob', root, abs: path.resolve(root), glob };
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(arg);
  } catch (e) {
    throw inputError(e, arg);
  }
  if (st.isDirectory()) return { kind: 'tree', root: arg, abs: path.resolve(arg) };
  // A file is followed through its directory, so that a new file at its path after a rotation is seen.
  const file = path.resolve(arg);
  return { kind: 'file', root: path.dirname(arg), abs: path.dirname(file), file };
}

/** A rotation suffix logrotate adds after the name: `.1`, `.2.gz`, `-20261120` (dateext). */
const ROTATION_SUFFIX = /[.-]\d+(\.gz)?$/;

/**
 * The files of a directory that watch follows: those ingest reads there, and their rotations. Reading a rotated
 * file by itself is what recovers a generation that was rotated away before it was ever read (a log rotated
 * twice while watch was down); checkpoints recognise a file already read under another name, so this never
 * counts a line twice.
 */
function isLogOrRotation(name: string): boolean {
  return LOG_FILE.test(name) || LOG_FILE.test(name.replace(ROTATION_SUFFIX, '$1'));
}

/** `abs` relative to `root`, or null when it is outside. */
function inside(root: string, abs: string): string | null {
  const rel = path.relative(root, abs);
  return rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel) ? null : rel;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
