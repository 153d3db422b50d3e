// Preloaded (`node --import`) into a measured process: writes its peak RSS in MB, worker threads included, at exit.
import fs from 'node:fs';

const file = process.env.OPLENS_BENCH_RSS_FILE;
if (file) process.on('exit', () => fs.writeFileSync(file, String(Math.round(process.resourceUsage().maxRSS / 1024))));
