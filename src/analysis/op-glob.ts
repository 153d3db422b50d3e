/**
 * Operation globs (`--op`, thresholds' `op`): `*` matches any run of characters, `?` one character, everything
 * else itself. Operation names hold `/`, `.` and spaces (`GET /api/orders`), so `*` crosses them all.
 */
export function opGlobToRegExp(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+(){}[\]]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

export function matchOps(glob: string, ops: readonly string[]): string[] {
  const re = opGlobToRegExp(glob);
  return ops.filter((op) => re.test(op));
}
