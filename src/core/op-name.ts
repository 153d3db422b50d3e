import { createHash } from 'node:crypto';

/** Longest operation (and source, and join key) name the store keeps. */
export const MAX_OP = 200;

const HASH_CHARS = 8;
/** `…#` and a hash of the whole name end a name that was cut. */
const CUT = new RegExp(`…#[0-9a-f]{${HASH_CHARS}}$`);

/**
 * A name no longer than MAX_OP. A longer one is cut, and the cut ends with a short hash of the whole name
 * (`GET /search?q=…#3f2a9c1b`), so that names differing only past the cut stay apart instead of merging silently.
 */
export function capName(name: string, max = MAX_OP): string {
  if (name.length <= max) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, HASH_CHARS);
  return `${name.slice(0, max - HASH_CHARS - 2)}…#${hash}`;
}

/** Whether a stored name is one capName cut. */
export function isCutName(name: string): boolean {
  return name.length === MAX_OP && CUT.test(name);
}
