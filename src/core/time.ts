/** Time steps in epoch milliseconds: the store's minute and hour keys, and window lengths. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
