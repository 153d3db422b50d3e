export const ERROR_CATEGORIES = [
  'timeout',
  'connection',
  'rate_limit',
  'auth',
  'not_found',
  'client_error',
  'server_error',
  'memory',
  'process',
  'validation',
  'unknown',
] as const;

export interface ErrorFacts {
  code?: string;
  message?: string;
  status?: number;
  exitCode?: number;
  signal?: string;
  timedOut?: boolean;
}

// Compiled once: these run on every failed line.
const TIMEOUT = /ETIMEDOUT|ESOCKETTIMEDOUT|timed?[ _-]?out|deadline exceeded|timeout/i;
const CONNECTION = /ECONNRESET|ECONNREFUSED|ECONNABORTED|EPIPE|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ENOTFOUND|socket hang up|connection (reset|refused|closed|aborted)/i;
const MEMORY = /ENOMEM|out of memory|heap out of memory|OOM|MemoryError|allocation failed/i;
const RATE = /rate[ _-]?limit|too many requests|throttl/i;
const AUTH = /unauthori[sz]ed|forbidden|permission denied|EACCES|EPERM|invalid token|authentication/i;
const NOT_FOUND = /not found|ENOENT|no such file/i;
const VALIDATION = /validation|invalid|malformed|schema|parse error|unexpected token|bad request/i;
const PROCESS = /exit(ed)? (with )?code|signal|SIGKILL|SIGTERM|SIGSEGV|killed|crashed/i;

/**
 * DESIGN.md's classification of a failure that the log did not categorise. Status codes are the most specific
 * evidence, then error codes and message words, then exit codes and signals.
 */
export function classifyError(f: ErrorFacts): string {
  const text = `${f.code ?? ''} ${f.message ?? ''}`;
  if (f.timedOut || f.status === 504 || f.status === 408 || TIMEOUT.test(text)) return 'timeout';
  if (f.status === 429 || RATE.test(text)) return 'rate_limit';
  if (f.status === 401 || f.status === 403) return 'auth';
  if (f.status === 404) return 'not_found';
  if (f.status !== undefined && f.status >= 400 && f.status < 500) return 'client_error';
  if (f.status !== undefined && f.status >= 500 && f.status < 600) return 'server_error';
  if (CONNECTION.test(text)) return 'connection';
  if (MEMORY.test(text)) return 'memory';
  if (AUTH.test(text)) return 'auth';
  if (NOT_FOUND.test(text)) return 'not_found';
  if (VALIDATION.test(text)) return 'validation';
  if (f.signal || (f.exitCode !== undefined && f.exitCode !== 0) || PROCESS.test(text)) return 'process';
  return 'unknown';
}

const CATEGORY_CLASSES: Record<string, string> = {
  network: 'connection',
  connection_error: 'connection',
  permission: 'auth',
  authorization: 'auth',
  authentication: 'auth',
  ratelimit: 'rate_limit',
  rate_limited: 'rate_limit',
  throttled: 'rate_limit',
  notfound: 'not_found',
  oom: 'memory',
  parsing: 'validation',
};

/**
 * The class of DESIGN.md's classification that a category belongs to (`network` -> connection, `Timeout` ->
 * timeout); a category of no known class is its own. Rules group failures by class and name the categories.
 */
export function categoryClass(c: string): string {
  const k = c.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return CATEGORY_CLASSES[k] ?? k;
}

/** A failure counts as a timeout when its category, as the log wrote it or as classified, is of the timeout class. */
export function isTimeout(category: string | undefined): boolean {
  return category === 'timeout' || (category !== undefined && categoryClass(category) === 'timeout');
}
