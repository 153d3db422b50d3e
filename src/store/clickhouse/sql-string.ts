/**
 * A ClickHouse string literal (18.16 has no query parameters). Apart from connection.ts so that the modules that
 * only write SQL (the fleet store's queries on the main thread) do not load the ClickHouse client.
 */
export function sqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
