// The design card's decoder, measured on the same file: stream-json's JSONL parser, parsing every line and
// nothing else. oplens uses its own line splitter + JSON.parse in worker threads when this is slower.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { parser } = require('stream-json/jsonl/Parser');

export async function streamJsonParse(file) {
  const t = process.hrtime.bigint();
  let lines = 0;
  await new Promise((resolve, reject) => {
    fs.createReadStream(file, { highWaterMark: 1 << 20 })
      .pipe(parser())
      .on('data', () => lines++)
      .on('end', resolve)
      .on('error', reject);
  });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, lines };
}
