import type { IntegrityReport } from '../store.js';
import type { FleetConnection } from './connection.js';
import { sqlString } from './sql-string.js';
import { SCHEMA_VERSION, TABLES } from './schema.js';

type Key = string;
const key = (source: string, batch: number, attempt?: number): Key => JSON.stringify(attempt === undefined ? [source, batch] : [source, batch, attempt]);

/** What the data tables hold per attempt that counts (source, batch, attempt). */
interface AttemptRows {
  raw: number;
  minuteEvents: number;
  /** Its minute rows' events from the prune cut on (when raw events were pruned). */
  minuteEventsFromCut: number;
  minuteDurations: number;
  hourEvents: number;
  histogram: number;
  other: number;
}

/**
 * `status --check` on a fleet store. ClickHouse checks its own parts where it can (CHECK TABLE; 18.16 answers
 * "not supported" for MergeTree, which is said, not taken as healthy), and oplens checks what only it knows:
 * the schema on every node, and every shipped batch against its ledger row — the attempts whose rows count, the
 * raw events and the rollups' event counts it confirmed, and the hourly histograms against the minute sums.
 */
export async function checkFleet(conn: FleetConnection): Promise<IntegrityReport> {
  const problems: string[] = [];
  const notes: string[] = [];
  const unsupported = new Set<string>();
  const nodes = await conn.onEveryNode(async (node, local) => {
    problems.push(...await schemaProblems(node, local));
    for (const name of TABLES.keys()) {
      for (const p of await checkTable(node, local(name))) {
        if (p === null) unsupported.add(name);
        else problems.push(p);
      }
    }
    return node.target.url;
  });
  if (!problems.length) problems.push(...await ledgerProblems(conn, notes));
  const checked = [
    `schema ${SCHEMA_VERSION} on ${nodes.length === 1 ? 'the server' : `all ${nodes.length} nodes`}`,
    unsupported.size ? 'CHECK TABLE: not supported for these tables by this ClickHouse version (its parts are checked when the server loads them)' : 'CHECK TABLE on every table',
    ...notes,
  ];
  return problems.length
    ? { ok: false, pages: [], chunks: [], problems, checked: checked.join('; '), hint: HINT }
    : { ok: true, pages: [], chunks: [], problems, checked: checked.join('; ') };
}

const HINT = 'a schema problem is repaired by `oplens ship --to URL` with this oplens version (it finishes the schema); rows that count twice ' +
  'or are missing mean the tables were changed outside oplens: docs/clickhouse.md ("Checking a fleet store") says how to re-ship a host';

/** Tables and columns of the current schema that a node lacks, and its schema version. */
async function schemaProblems(node: FleetConnection, local: (t: string) => string): Promise<string[]> {
  const db = node.target.database;
  const where = `node ${node.target.url.replace(/^https?:\/\//, '')}`;
  const out: string[] = [];
  const [v] = await node.query<{ v: number }>(`SELECT max(version) AS v FROM ${db}.schema_version`);
  if (Number(v?.v) !== SCHEMA_VERSION) out.push(`${where}: schema version ${Number(v?.v ?? 0)}, expected ${SCHEMA_VERSION}`);
  const rows = await node.query<{ t: string; c: string }>(`SELECT table AS t, name AS c FROM system.columns WHERE database = ${sqlString(db)}`);
  const has = new Set(rows.map((r) => `${r.t}.${r.c}`));
  const tables = new Set(rows.map((r) => r.t));
  for (const [name, def] of TABLES) {
    const names = new Set([local(name).split('.')[1], name]);
    for (const t of names) {
      if (!tables.has(t)) {
        out.push(`${where}: table ${t} is missing`);
        continue;
      }
      const lacking = def.columns.filter(([c]) => !has.has(`${t}.${c}`)).map(([c]) => c);
      if (lacking.length) out.push(`${where}: table ${t} lacks ${lacking.join(', ')}`);
    }
  }
  return out;
}

/** CHECK TABLE's findings for one table on one node; [null] when the server cannot check it. */
async function checkTable(node: FleetConnection, table: string): Promise<Array<string | null>> {
  let rows: Array<Record<string, unknown>>;
  try {
    rows = await node.query(`CHECK TABLE ${table}`);
  } catch (e) {
    if (/\bCode: 48\b|NOT_IMPLEMENTED|not supported/i.test(String((e as Error).message))) return [null];
    throw e;
  }
  // One row `result` (0 or 1), or one row per part (`is_passed`, `part_path`, `message`) on newer servers.
  return rows
    .filter((r) => Number(r.result ?? r.is_passed ?? 1) === 0)
    .map((r) => `CHECK TABLE ${table} on ${node.target.url.replace(/^https?:\/\//, '')}: ${[r.part_path, r.message].filter(Boolean).join(': ') || 'failed'}`);
}

/**
 * Every batch against its ledger: batches confirmed without gaps, only the confirmed attempt's rows counting, its
 * raw events and minute counts equal to the events its 'done' row records, its hour rows' counts to its minute rows',
 * its histograms equal to its durations.
 */
async function ledgerProblems(conn: FleetConnection, notes: string[]): Promise<string[]> {
  const t = (name: string) => conn.table(name);
  const ledger = await conn.query<{ source: string; batch: number; attempt: number; events: number; raw_from: number | null; hour_rows: number }>(
    `SELECT source, batch, attempt, events, raw_from, hour_rows FROM ${t('shipments')} WHERE state = 'done'`,
  );
  const voided = new Set((await conn.query<{ source: string; batch: number; attempt: number }>(`SELECT source, batch, attempt FROM ${t('voided')}`))
    .map((r) => key(r.source, r.batch, r.attempt)));
  const rows = new Map<Key, AttemptRows>();
  const add = (r: { source: string; batch: number; attempt: number }, field: keyof AttemptRows, n: number) => {
    if (voided.has(key(r.source, r.batch, r.attempt))) return;
    const k = key(r.source, r.batch, r.attempt);
    let a = rows.get(k);
    if (!a) rows.set(k, (a = { raw: 0, minuteEvents: 0, minuteEventsFromCut: 0, minuteDurations: 0, hourEvents: 0, histogram: 0, other: 0 }));
    a[field] += Number(n);
  };
  const per = (sql: string) => conn.query<{ source: string; batch: number; attempt: number; n: number; d: number }>(`${sql} GROUP BY source, batch, attempt`);
  for (const r of await per(`SELECT source, batch, attempt, count() AS n FROM ${t('events')}`)) add(r, 'raw', r.n);
  // After a prune, a batch's raw events are those at or after the cut (a day's start, so a whole minute): as many as
  // its minute rows count from the cut on.
  const [pruned] = await conn.query<{ t: number; n: number }>(`SELECT max(before) AS t, count() AS n FROM ${t('raw_pruned')}`);
  const cut = Number(pruned?.n) > 0 ? Number(pruned.t) : null;
  if (cut !== null) {
    for (const r of await per(`SELECT source, batch, attempt, sum(count) AS n FROM ${t('minute_stats')} WHERE minute >= ${cut}`)) add(r, 'minuteEventsFromCut', r.n);
  }
  for (const r of await per(`SELECT source, batch, attempt, sum(count) AS n, sum(dur_count) AS d FROM ${t('minute_stats')}`)) {
    add(r, 'minuteEvents', r.n);
    add(r, 'minuteDurations', r.d);
  }
  for (const r of await per(`SELECT source, batch, attempt, sum(count) AS n FROM ${t('hour_stats')}`)) add(r, 'hourEvents', r.n);
  for (const r of await per(`SELECT source, batch, attempt, sum(n) AS n FROM ${t('hour_hist')}`)) add(r, 'histogram', r.n);
  for (const table of ['error_groups', 'quarantine']) for (const r of await per(`SELECT source, batch, attempt, count() AS n FROM ${t(table)}`)) add(r, 'other', r.n);

  const problems: string[] = [];
  const done = new Map<Key, (typeof ledger)[number]>();
  const lastDone = new Map<string, number>();
  const rawOnlyLater = new Set<string>(); // sources whose first batch shipped rollups only: later batches may carry raw-only chunks
  for (const d of ledger) {
    const k = key(d.source, d.batch);
    if (done.has(k)) problems.push(`${where(d.source, d.batch)}: confirmed twice (attempts ${done.get(k)!.attempt} and ${d.attempt})`);
    done.set(k, d);
    lastDone.set(d.source, Math.max(lastDone.get(d.source) ?? 0, d.batch));
    if (d.raw_from !== null) rawOnlyLater.add(d.source);
    if (voided.has(key(d.source, d.batch, d.attempt))) problems.push(`${where(d.source, d.batch)}: its confirmed attempt ${d.attempt} is voided, so none of its rows count`);
  }
  for (const [source, last] of lastDone) {
    const missing = [];
    for (let b = 1; b <= last; b++) if (!done.has(key(source, b))) missing.push(b);
    if (missing.length) problems.push(`source ${JSON.stringify(source)}: batch${missing.length === 1 ? '' : 'es'} ${list(missing)} not confirmed, though later ones are`);
  }
  const unconfirmed: string[] = [];
  for (const [k, a] of rows) {
    const [source, batch, attempt] = JSON.parse(k) as [string, number, number];
    const d = done.get(key(source, batch));
    if (!d) {
      if (batch > (lastDone.get(source) ?? 0)) unconfirmed.push(`${where(source, batch)} (attempt ${attempt})`);
      else problems.push(`${where(source, batch)}: rows of attempt ${attempt} count, but the batch has no confirmation`);
      continue;
    }
    if (d.attempt !== attempt) {
      problems.push(`${where(source, batch)}: rows of attempt ${attempt} count besides those of its confirmed attempt ${d.attempt}, so its events count twice`);
      continue;
    }
    const events = Number(d.events);
    // The raw events a batch holds: none when it shipped rollups only; after a prune, as many as its minute rows
    // count from the cut on, or at most the ledger's total for a host whose raw events may have their minute rows in
    // an earlier batch; otherwise the ledger's total.
    const fromCut = d.raw_from === null && cut !== null && !rawOnlyLater.has(source);
    const rawExpected = d.raw_from !== null ? 0 : fromCut ? a.minuteEventsFromCut : events;
    const atMost = d.raw_from === null && cut !== null && !fromCut;
    if (atMost ? a.raw > rawExpected : a.raw !== rawExpected) {
      problems.push(`${where(source, batch)}: ${a.raw.toLocaleString('en-US')} raw events${fromCut ? ' from the prune cut on' : ''}, where ${fromCut ? 'its minute rollups count' : 'its ledger says'} ${rawExpected.toLocaleString('en-US')}`);
    }
    if (rawOnlyLater.has(source) ? a.minuteEvents > events : a.minuteEvents !== events) {
      problems.push(`${where(source, batch)}: the minute rollups count ${a.minuteEvents.toLocaleString('en-US')} events, where its ledger says ${events.toLocaleString('en-US')}`);
    }
    // A batch shipped before schema version 4 has no hour rows: readers derive them from its minute rows.
    const hourEvents = Number(d.hour_rows) === 1 ? a.minuteEvents : 0;
    if (a.hourEvents !== hourEvents) {
      problems.push(`${where(source, batch)}: the hour rollups count ${a.hourEvents.toLocaleString('en-US')} events, where its minute rollups${hourEvents ? '' : ' (shipped without hour rows)'} say ${hourEvents.toLocaleString('en-US')}`);
    }
    if (a.histogram !== a.minuteDurations) {
      problems.push(`${where(source, batch)}: the hourly histograms count ${a.histogram.toLocaleString('en-US')} durations, the minute rollups ${a.minuteDurations.toLocaleString('en-US')}`);
    }
  }
  for (const d of ledger) {
    const a = rows.get(key(d.source, d.batch, d.attempt));
    if (!a && Number(d.events) > 0) problems.push(`${where(d.source, d.batch)}: confirmed with ${Number(d.events).toLocaleString('en-US')} events, but none of its rows are there`);
  }
  const batches = ledger.length;
  notes.push(`${batches.toLocaleString('en-US')} confirmed batch${batches === 1 ? '' : 'es'} of ${lastDone.size} host${lastDone.size === 1 ? '' : 's'} match their ledger`);
  if (unconfirmed.length) notes.push(`sent in part and not yet confirmed (the host's next ship replaces them): ${unconfirmed.join(', ')}`);
  return problems;
}

function where(source: string, batch: number): string {
  return `source ${JSON.stringify(source)}, batch ${batch}`;
}

function list(ns: number[]): string {
  return ns.length > 5 ? `${ns.slice(0, 5).join(', ')} … (${ns.length})` : ns.join(', ');
}
