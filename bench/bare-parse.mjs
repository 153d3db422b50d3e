// The floor ingest is measured against: read the files and JSON.parse every line, nothing else. A line whose
// JSON starts after a text prefix (Homeostasis: `2026-11-09 00:00:00 - INFO - {...}`) is parsed from its first `{`.
import fs from 'node:fs';

export async function bareParse(files) {
  const t = process.hrtime.bigint();
  let lines = 0;
  let bytes = 0;
  for (const file of files) {
    bytes += fs.statSync(file).size;
    let carry = '';
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
      const s = carry + chunk.toString('utf8');
      let i = 0;
      let nl;
      while ((nl = s.indexOf('\n', i)) !== -1) {
        JSON.parse(s.charCodeAt(i) === 123 ? s.slice(i, nl) : s.slice(s.indexOf('{', i), nl));
        lines++;
        i = nl + 1;
      }
      carry = s.slice(i);
    }
  }
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, lines, bytes };
}
