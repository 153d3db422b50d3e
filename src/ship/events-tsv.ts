import { quotedTsv, tsvValue } from '../store/clickhouse/connection.js';
import { FLAG_OK, FLAG_TIMEOUT, type RawChunk } from '../store/event-chunks.js';

/** Text is handed to the client in pieces of about this many characters. */
const PIECE = 1 << 20;

/**
 * The `events` rows of raw chunks as TabSeparated text, written straight from the chunks' typed columns (no object
 * per event: shipping is bound by this loop). Columns as in schema.ts: op, ts, duration, ok, timeout, concurrency,
 * memory_mb, cpu_percent, retries, error_category, error_code, error_message, stream, dim_keys, dim_values; every
 * line ends in `suffix`. What repeats within a chunk (its operation, stream, dimension names and values) is
 * escaped once per chunk.
 */
export function* eventsTsv(chunks: Iterable<RawChunk>, suffix: string): Generator<string> {
  let buf = '';
  for (const chunk of chunks) {
    const c = chunk.columns;
    const head = `${tsvValue(chunk.op)}\t`;
    const stream = `\t${tsvValue(chunk.source)}\t`;
    const failures = new Map(chunk.failures.map((f) => [f.i, `${tsvValue(f.category ?? null)}\t${tsvValue(f.code ?? null)}\t${tsvValue(f.message ?? null)}`]));
    const dims = chunk.dims;
    const names = dims ? dims.k.map(quotedTsv) : [];
    const values = dims ? dims.v.map((vs) => vs.map(quotedTsv)) : [];
    const allNames = `[${names.join(',')}]`;
    for (let i = 0; i < c.n; i++) {
      const flags = c.flags[i];
      let dimText = '[]\t[]';
      if (dims) {
        let ks = '';
        let vs = '';
        let all = true;
        for (let j = 0; j < names.length; j++) {
          const at = dims.i[j][i];
          if (at < 0) {
            all = false;
            continue;
          }
          if (vs) {
            ks += ',';
            vs += ',';
          }
          ks += names[j];
          vs += values[j][at];
        }
        dimText = `${all ? allNames : `[${ks}]`}\t[${vs}]`;
      }
      buf += `${head}${c.ts[i]}\t${num(c.duration[i])}\t${flags & FLAG_OK ? 1 : 0}\t${flags & FLAG_TIMEOUT ? 1 : 0}\t` +
        `${num(c.concurrency[i])}\t${num(c.memoryMb[i])}\t${num(c.cpuPercent[i])}\t${num(c.retries[i])}\t` +
        `${failures.get(i) ?? '\\N\t\\N\t\\N'}${stream}${dimText}${suffix}`;
      if (buf.length > PIECE) {
        yield buf;
        buf = '';
      }
    }
  }
  if (buf) yield buf;
}

function num(x: number): string {
  return Number.isNaN(x) ? '\\N' : String(x);
}
