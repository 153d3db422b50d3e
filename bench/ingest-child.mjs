// Runs one ingest in this process and prints its wall time and peak RSS (worker threads included) as JSON.
import { ingest } from '../dist/ingest/ingest.js';
import { openStore } from '../dist/store/open-store.js';

const [dbPath, ...paths] = process.argv.slice(2);
const db = openStore(dbPath);
const t = process.hrtime.bigint();
const s = await ingest({ db, paths });
const ms = Number(process.hrtime.bigint() - t) / 1e6;
db.close();
process.stdout.write(JSON.stringify({ ms, lines: s.lines, events: s.events, bytes: s.bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
