/** The summed columns minute_stats and hour_stats share, in table order. */
export const STAT_COLUMNS = `count, ok_count, error_count, timeout_count, dur_count, dur_sum, dur_min, dur_max, retries_sum,
  retried_count, mem_max, mem_sum, mem_n, cpu_max, cpu_sum, cpu_n, conc_max, conc_sum, conc_n`;

/** The minutes of the hour @hour, so that SQLite seeks each (minute, op, source) key instead of scanning the hour. */
const MINUTES_OF_HOUR = Array.from({ length: 60 }, (_, i) => `@hour + ${i * 60_000}`).join(', ');
const ROW_MINUTES = `minute IN (${MINUTES_OF_HOUR}) AND op_id = @op AND source_id = @source`;

/**
 * Rebuilds one hour_stats row (@hour, @op, @source) from its minute_stats rows, as migration 7 fills them: after a
 * batch, for each row it touched. Summed from the minute rows (not added up batch by batch), an hour row is the same
 * however its lines were split into batches. peak_minute is the first minute with the row's largest count: found in
 * the same pass as the sums (the largest count * 64 + minutes before the hour's end; a minute index is below 64), as
 * a second read of the minute rows cost as much again for a log with many operations.
 */
export const REFRESH_HOUR = `INSERT OR REPLACE INTO hour_stats
  SELECT @hour, @op, @source, sum(count), sum(ok_count), sum(error_count), sum(timeout_count), sum(dur_count), sum(dur_sum),
    min(dur_min), max(dur_max), sum(retries_sum), sum(retried_count), max(mem_max), sum(mem_sum), sum(mem_n),
    max(cpu_max), sum(cpu_sum), sum(cpu_n), max(conc_max), sum(conc_sum), sum(conc_n), max(count),
    @hour + (59 - max(count * 64 + 59 - (minute - @hour) / 60000) % 64) * 60000
  FROM minute_stats WHERE ${ROW_MINUTES}`;
