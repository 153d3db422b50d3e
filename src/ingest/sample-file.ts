import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { decodeLine, recordsOf } from './decode-line.js';
import { inputError } from './expand-paths.js';
import { isGzipFile } from './gzip-magic.js';
import type { JsonRecord } from './formats/format-adapter.js';
import { CHECK_RECORDS } from './formats/registry.js';

/** Lines read at most while looking for records, as ingest does when a file starts with junk. */
const MAX_LINES = 1000;

/** The first records of a file (decompressed when its content is gzip), read as ingest reads them. */
export async function sampleFile(file: string): Promise<{ records: JsonRecord[]; lines: number }> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw inputError(e, file);
  }
  const raw = fs.createReadStream('', { fd });
  const input = isGzipFile(fd) ? raw.pipe(zlib.createGunzip()) : raw;
  const records: JsonRecord[] = [];
  let lines = 0;
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) {
      lines++;
      records.push(...recordsOf(decodeLine(line)));
      if (records.length >= CHECK_RECORDS || lines >= MAX_LINES) break;
    }
  } catch {
    // A truncated gzip still yields the lines before the damage; ingest reports the damage itself.
  } finally {
    rl.close();
    raw.destroy();
  }
  return { records, lines };
}
