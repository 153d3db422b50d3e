/** Adds a batch's events of one minute to minute_totals (every operation and source; counts sum alike in any batching). */
export const ADD_MINUTE_TOTAL = `INSERT INTO minute_totals VALUES (?, ?)
  ON CONFLICT (minute) DO UPDATE SET count = count + excluded.count`;
