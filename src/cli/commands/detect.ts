import type { Command } from 'commander';
import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { loadConfig } from '../../config/load-config.js';
import { ConfigError, EXIT, UsageError } from '../../errors.js';
import { DecodeFailure, decodeLine } from '../../ingest/decode-line.js';
import { expandPaths, inputError } from '../../ingest/expand-paths.js';
import type { JsonRecord } from '../../ingest/formats/format-adapter.js';
import { allFormats, CHECK_RECORDS, checkFormat, detectFormat, type DetectResult } from '../../ingest/formats/registry.js';
import { globals } from '../global-options.js';

/** Lines read at most while looking for records, as ingest does when a file starts with junk. */
const MAX_LINES = 1000;

interface FileDecision {
  file: string;
  lines: number;
  records: number;
  format: string;
  score: number;
  reason: string;
  /** Why the chosen format cannot read the file (a config mapping whose path is missing). */
  problem?: string;
  ranking: DetectResult['ranking'];
}

export function registerDetect(program: Command): void {
  program
    .command('detect')
    .description('show which format auto-detection picks for each file, why, and how every format scored')
    .argument('<paths...>', 'files, directories or globs, as for ingest')
    .option('--json', 'print the decisions as JSON')
    .addHelpText('after', `
Examples:
  $ oplens detect logs/api.log
  $ oplens detect logs/ --json | jq '.[] | {file, format}'`)
    .action(async (paths: string[], opts: { json?: boolean }, cmd: Command) => {
      const config = loadConfig(globals(cmd).config);
      const formats = allFormats({ durationUnit: config.ingest.durationUnit, fields: config.fields });
      if (paths.includes('-')) throw new UsageError('detect reads files, not standard input (-)', 'save a sample to a file and detect that');
      const decisions: FileDecision[] = [];
      for (const input of expandPaths(paths)) {
        if (input.kind !== 'file') continue;
        const sample = await sampleFile(input.path, input.gzip);
        const det = detectFormat(sample.records, formats);
        const d: FileDecision = {
          file: input.path, lines: sample.lines, records: sample.records.length, format: det.adapter.name,
          score: det.detection.score, reason: det.detection.reason, ranking: det.ranking,
        };
        try {
          checkFormat(det.adapter, sample.records, input.path);
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
          d.problem = e.message;
        }
        decisions.push(d);
      }
      process.stdout.write(opts.json ? JSON.stringify(decisions, null, 2) + '\n' : decisions.map(describe).join('\n'));
      if (decisions.some((d) => d.problem)) process.exitCode = EXIT.usage;
    });
}

function describe(d: FileDecision): string {
  const width = Math.max(...d.ranking.map((r) => r.name.length));
  return [
    `${d.file}: ${d.format} (score ${d.score.toFixed(2)}, from ${d.records} records in ${d.lines} lines)`,
    `  why: ${d.reason}`,
    ...(d.problem ? [`  problem: ${d.problem}`] : []),
    '  ranking:',
    ...d.ranking.map((r) => `    ${r.name.padEnd(width)}  ${r.score.toFixed(2)}  ${r.reason}`),
    '',
  ].join('\n');
}

/** The first records of a file (decompressed when gzip), read as ingest reads them. */
async function sampleFile(file: string, gzip: boolean): Promise<{ records: JsonRecord[]; lines: number }> {
  let raw: fs.ReadStream;
  try {
    raw = fs.createReadStream(file);
    await new Promise<void>((resolve, reject) => raw.once('open', () => resolve()).once('error', reject));
  } catch (e) {
    throw inputError(e, file);
  }
  const input = gzip ? raw.pipe(zlib.createGunzip()) : raw;
  const records: JsonRecord[] = [];
  let lines = 0;
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) {
      lines++;
      const rec = decodeLine(line);
      if (rec !== null && !(rec instanceof DecodeFailure)) records.push(rec);
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
