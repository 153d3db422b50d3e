// The floor ingest is measured against: read the file and JSON.parse every line, nothing else.
import fs from 'node:fs';

export async function bareParse(file) {
  const t = process.hrtime.bigint();
  let lines = 0;
  let carry = '';
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const s = carry + chunk.toString('utf8');
    let i = 0;
    let nl;
    while ((nl = s.indexOf('\n', i)) !== -1) {
      JSON.parse(s.slice(i, nl));
      lines++;
      i = nl + 1;
    }
    carry = s.slice(i);
  }
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, lines };
}
