/** Exit codes of every command, in one place (see README "Exit codes"). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  thresholdsBreached: 3,
  /** The database is damaged: pages that fail SQLite's checks, or raw-event chunks that do not decode. */
  damagedStore: 4,
  /** The reader of our output closed the pipe (128 + SIGPIPE, as a shell reports a writer it stopped). */
  closedPipe: 141,
} as const;

/** An expected failure: printed as one line with a hint, never with a stack trace. */
export class OplensError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A bad flag, argument or command line. */
export class UsageError extends OplensError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
  }
}

/** A bad or unreadable config file or config value. */
export class ConfigError extends OplensError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
  }
}

/** A missing, unreadable or empty input path. */
export class InputError extends OplensError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.failure, hint);
  }
}

/** The database cannot be opened, is corrupt, locked or not writable. */
export class StoreError extends OplensError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.failure, hint);
  }
}

/** The database holds damage: a command must not carry on over it, nor report from it as if it were whole. */
export class DamagedStoreError extends OplensError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.damagedStore, hint);
  }
}
