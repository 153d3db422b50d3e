// The peer oplens's answers are measured against: DuckDB reading the raw log files with read_json and computing
// the same figures (counts, errors, exact quantiles per operation, per window, plus the trend buckets), in a new
// process like oplens, rescanning everything each time. A dev dependency of the benchmark only.
// Usage: node bench/duckdb-peer.mjs analyze|weekly|incident NOW_ISO FILE...
import { DuckDBInstance } from '@duckdb/node-api';

const [what, nowIso, ...files] = process.argv.slice(2);
const DAY = 86_400_000;
const now = Date.parse(nowIso);
// The windows oplens's command compares (see run.mjs for the matching oplens arguments).
const windows = {
  // analyze --days 7: the last 7 days against the 7 before; hourly trend buckets.
  analyze: { cur: [now - 7 * DAY, now], prev: [now - 14 * DAY, now - 7 * DAY], bucket: 'hour' },
  // report weekly --week 2026-W46 (Mon 2026-11-09 .. Mon 2026-11-16) against the week before; daily and hourly.
  weekly: { cur: [Date.UTC(2026, 10, 9), Date.UTC(2026, 10, 16)], prev: [Date.UTC(2026, 10, 2), Date.UTC(2026, 10, 9)], bucket: 'hour' },
  // incident --at 2026-11-09T12:00Z --window 2h: the window, the one before it and the same window a week earlier.
  incident: {
    cur: [Date.UTC(2026, 10, 9, 11), Date.UTC(2026, 10, 9, 13)], prev: [Date.UTC(2026, 10, 9, 9), Date.UTC(2026, 10, 9, 11)],
    week: [Date.UTC(2026, 10, 2, 11), Date.UTC(2026, 10, 2, 13)], bucket: 'minute',
  },
}[what];
if (!windows) throw new Error(`unknown query ${what}`);

const ts = (ms) => `TIMESTAMPTZ '${new Date(ms).toISOString()}'`;
const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ');
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
await con.run("SET TimeZone = 'UTC'");
// One scan of the raw files into memory, then every figure from it (DuckDB's fastest honest plan).
const ranges = Object.values(windows).filter(Array.isArray);
const inAny = ranges.map(([a, b]) => `(ts >= ${ts(a)} AND ts < ${ts(b)})`).join(' OR ');
await con.run(`CREATE TEMP TABLE e AS SELECT * FROM (
  SELECT timestamp::TIMESTAMPTZ AS ts, operation AS op, duration AS d, success AS ok, error.category AS cat
  FROM read_json([${list}], format = 'newline_delimited',
    columns = {timestamp: 'VARCHAR', operation: 'VARCHAR', duration: 'DOUBLE', success: 'BOOLEAN', error: 'STRUCT(category VARCHAR, message VARCHAR, code VARCHAR)'})
) WHERE ${inAny}`);
const out = {};
for (const [name, range] of Object.entries(windows)) {
  if (!Array.isArray(range)) continue;
  const where = `ts >= ${ts(range[0])} AND ts < ${ts(range[1])}`;
  const perOp = await con.runAndReadAll(`SELECT op, count(*) AS n, count(*) FILTER (NOT ok) AS errors,
      quantile_cont(d, [0.5, 0.9, 0.95, 0.99]) AS q, avg(d) AS mean, max(d) AS max
    FROM e WHERE ${where} GROUP BY op ORDER BY n DESC`);
  const cats = await con.runAndReadAll(`SELECT op, cat, count(*) FROM e WHERE ${where} AND NOT ok GROUP BY ALL`);
  out[name] = { ops: perOp.getRowObjectsJson().length, categories: cats.getRowObjectsJson().length };
}
const [a, b] = windows.cur;
const trend = await con.runAndReadAll(`SELECT op, date_trunc('${windows.bucket}', ts) AS t, count(*), count(*) FILTER (NOT ok),
    quantile_cont(d, [0.5, 0.95, 0.99]) FROM e WHERE ts >= ${ts(a)} AND ts < ${ts(b)} GROUP BY ALL`);
out.trendBuckets = trend.getRowObjectsJson().length;
const total = await con.runAndReadAll('SELECT count(*) AS n FROM e');
out.events = Number(total.getRowObjectsJson()[0].n);
process.stdout.write(JSON.stringify(out) + '\n');
