// Scenario: a store is refreshed after 10,000 lines are appended to its log (`oplens ingest` of the same file, then
// `oplens analyze --days 7`, two new processes) against DuckDB rescanning the whole file for the same answer.
// The appended lines are cut off again afterwards, so the generated input stays the same bytes for later runs.
import fs from 'node:fs';
import { continuation } from './inputs.mjs';
import { commands, duckdb } from './answers.mjs';
import { median, ratio, runOplens, seconds } from './timing.mjs';

export async function benchRefresh({ db, file, events, runs, append = 10_000 }) {
  const size = fs.statSync(file).size;
  const analyze = commands('')['analyze --days 7'].args;
  const ours = [];
  const ingestOnly = [];
  const theirs = [];
  try {
    for (let i = 0; i < runs; i++) {
      fs.appendFileSync(file, continuation(file, append, 1000 + i));
      const ing = runOplens(['--db', db, 'ingest', file]);
      const ana = runOplens(['--db', db, ...analyze]);
      ingestOnly.push(ing.ms);
      ours.push(ing.ms + ana.ms);
      theirs.push(duckdb('analyze', [file]).ms);
    }
  } finally {
    fs.truncateSync(file, size);
  }
  const [o, t] = [median(ours), median(theirs)];
  return {
    label: `refresh after appending ${append.toLocaleString('en-US')} lines to a ${events.toLocaleString('en-US')}-event store (ingest + analyze --days 7)`,
    runs, appendedLines: append,
    oplens: { seconds: seconds(o), ingestSeconds: seconds(median(ingestOnly)), runsSeconds: ours.map(seconds) },
    duckdbRescan: { seconds: seconds(t), runsSeconds: theirs.map(seconds) },
    ratioToDuckdb: ratio(o, t), goal: '<= 0.1',
  };
}
