// Exception class names (Python, Java, .NET, JS) that name their category, for logs that give a type and no
// category. classifyError reads words in messages; these names are single tokens it cannot split.
const RULES: Array<[RegExp, string]> = [
  [/Timeout|TimedOut|Deadline/i, 'timeout'],
  [/Connection|BrokenPipe|Socket|Network|Unreachable/i, 'connection'],
  [/Memory|OOM\b/i, 'memory'],
  [/Permission|Unauthori[sz]ed|Forbidden|Auth/i, 'auth'],
  [/NotFound|NoSuchFile/i, 'not_found'],
  [/RateLimit|Throttl|TooManyRequests/i, 'rate_limit'],
  [/Validation|ValueError|Schema|Parse|Decode|Syntax|Invalid|Format/i, 'validation'],
  [/ProcessError|ExitError|Signal|Killed/i, 'process'],
];

/** The category an exception type names (`ConnectionResetError` -> connection), or undefined. */
export function categoryFromExceptionType(type: unknown): string | undefined {
  if (typeof type !== 'string' || type === '') return undefined;
  for (const [re, category] of RULES) if (re.test(type)) return category;
  return undefined;
}
