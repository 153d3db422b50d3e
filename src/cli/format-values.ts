/** `2026-11-20 14:05Z`: UTC to the minute, the form every terminal listing uses. */
export function formatIsoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
}
