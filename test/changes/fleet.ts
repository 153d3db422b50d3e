import fs from 'node:fs';
import path from 'node:path';
import { rng } from '../analysis/fixture.js';

/**
 * A seeded fleet of six hosts in three regions serving four operations for some customers, written as native JSONL
 * with the fields a fleet's logs carry (host, region, version, status, customer). Changes are planted on top:
 * the test knows exactly when and where each one is, independently of the code under test.
 */
export const HOSTS = ['api-1', 'api-2', 'api-3', 'api-4', 'api-5', 'api-6'];
const REGION: Record<string, string> = { 'api-1': 'us-east', 'api-2': 'us-east', 'api-3': 'eu-west', 'api-4': 'eu-west', 'api-5': 'ap-south', 'api-6': 'ap-south' };
const OPS = [
  { op: 'db.query', weight: 40, medianMs: 12, status: [500] },
  { op: 'GET /api/orders', weight: 30, medianMs: 45, status: [500, 404] },
  { op: 'POST /api/orders', weight: 15, medianMs: 120, status: [500, 422] },
  { op: 'search', weight: 15, medianMs: 300, status: [500, 429] },
];
/** c-1 … c-12; c-7 is a large customer (a sixth of the traffic), so a change of its own moves the p95. */
const CUSTOMERS = Array.from({ length: 12 }, (_, i) => ({ name: `c-${i + 1}`, weight: i === 6 ? 2.2 : 1 }));
const BASE_ERROR_RATE = 0.01;
const SIGMA = 0.5;

/** Something that starts at `fromMs` for the events it matches: slower by `factor`, or failing with `status`. */
export interface Plant {
  fromMs: number;
  toMs?: number;
  op?: string;
  hosts?: string[];
  region?: string;
  customer?: string;
  /** Duration multiplier. */
  factor?: number;
  /** These events fail with this status at this rate. */
  status?: number;
  failRate?: number;
  /** The matching hosts run this version from fromMs on. */
  version?: string;
}

export interface FleetOptions {
  seed: number;
  fromMs: number;
  toMs: number;
  /** Mean time between events (ms). */
  gapMs: number;
  plants?: Plant[];
}

export interface Line {
  ts: number;
  op: string;
  host: string;
  region: string;
  version: string;
  customer: string;
  duration: number;
  status: number;
}

export function* fleetLines(o: FleetOptions): Generator<Line> {
  const r = rng(o.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());
  const pick = <T extends { weight: number }>(xs: T[]): T => {
    let w = r() * xs.reduce((s, x) => s + x.weight, 0);
    for (const x of xs) if ((w -= x.weight) <= 0) return x;
    return xs[xs.length - 1];
  };
  const plants = o.plants ?? [];
  for (let ts = o.fromMs + Math.round(-Math.log(Math.max(r(), 1e-12)) * o.gapMs); ts < o.toMs; ts += Math.max(1, Math.round(-Math.log(Math.max(r(), 1e-12)) * o.gapMs))) {
    const op = pick(OPS);
    const host = HOSTS[Math.floor(r() * HOSTS.length)];
    const customer = pick(CUSTOMERS).name;
    const line: Line = { ts, op: op.op, host, region: REGION[host], version: '2.4.0', customer, duration: 0, status: 200 };
    let factor = 1;
    let failWith: number | null = r() < BASE_ERROR_RATE ? op.status[Math.floor(r() * op.status.length)] : null;
    const u = r();
    for (const p of plants) {
      if (p.hosts && !p.hosts.includes(host)) continue;
      if (p.region && p.region !== line.region) continue;
      if (ts < p.fromMs || (p.toMs !== undefined && ts >= p.toMs)) continue;
      if (p.version) line.version = p.version;
      if (p.op && p.op !== op.op) continue;
      if (p.customer && p.customer !== customer) continue;
      if (p.factor) factor *= p.factor;
      if (p.status && u < (p.failRate ?? 1)) failWith = p.status;
    }
    line.duration = Math.round(op.medianMs * factor * Math.exp(SIGMA * gauss()) * 100) / 100;
    if (failWith !== null) line.status = failWith;
    yield line;
  }
}

/** One line as the fleet's services log it (native JSONL with its dimensions), without the newline. */
export function fleetJsonLine(l: Line): string {
  return JSON.stringify({
    timestamp: new Date(l.ts).toISOString(), operation: l.op, duration: l.duration, host: l.host, region: l.region,
    version: l.version, customer: l.customer, status: l.status,
    ...(l.status >= 400 ? { error: { message: `HTTP ${l.status} from ${l.op}` } } : {}),
  });
}

/** Writes the fleet's lines into `dir/fleet.jsonl` and returns them. */
export function writeFleet(dir: string, o: FleetOptions): Line[] {
  const lines = [...fleetLines(o)];
  const text = lines.map(fleetJsonLine).join('\n') + '\n';
  fs.writeFileSync(path.join(dir, 'fleet.jsonl'), text);
  return lines;
}
