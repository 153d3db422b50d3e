// pgBadger-style normalisation: the variable parts of a message become placeholders so that messages that differ
// only by ids, numbers, paths or quoted values fall into one group. Order matters: wider patterns first.
const RULES: Array<[RegExp, string]> = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\bhttps?:\/\/\S+/gi, '<url>'],
  [/"(?:[^"\\]|\\.)*"/g, '"<str>"'],
  [/'(?:[^'\\]|\\.)*'/g, "'<str>'"],
  [/(?:^|(?<=[\s=:(]))(?:[A-Za-z]:)?(?:[/\\][\w.@~-]+){2,}[/\\]?/g, '<path>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, '<ip>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b(?=[0-9a-f]*\d)[0-9a-f]{12,}\b/gi, '<id>'],
  [/\b(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9]+[_-][A-Za-z0-9_-]*\d[A-Za-z0-9_-]*\b/g, '<id>'],
  [/-?\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, '<n>'],
  [/\s+/g, ' '],
];

/** Longest fingerprint kept; messages are capped before grouping so a huge message costs little. */
const MAX_INPUT = 2000;
const MAX_FINGERPRINT = 300;

export function fingerprint(message: string): string {
  let s = message.length > MAX_INPUT ? message.slice(0, MAX_INPUT) : message;
  for (const [re, rep] of RULES) s = s.replace(re, rep);
  s = s.trim();
  return s.length > MAX_FINGERPRINT ? s.slice(0, MAX_FINGERPRINT) + '…' : s;
}
