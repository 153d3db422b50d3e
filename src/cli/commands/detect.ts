import { printable } from '../../display/printable.js';
import type { Command } from 'commander';
import { ConfigError, EXIT, UsageError } from '../../errors.js';
import type { DetectResult } from '../../ingest/formats/registry.js';
import { globals } from '../global-options.js';
import { jsonOption, printJson } from '../json-output.js';

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
    .addOption(jsonOption('the decisions'))
    .addHelpText('after', `
Examples:
  $ oplens detect logs/api.log
  $ oplens detect logs/ --json | jq '.[] | {file, format}'`)
    .action(async (paths: string[], opts: { json?: boolean }, cmd: Command) => {
      const [{ loadConfig }, { expandPaths }, { sampleFile }, { allFormats, checkFormat, detectFormat }] = await Promise.all([
        import('../../config/load-config.js'), import('../../ingest/expand-paths.js'), import('../../ingest/sample-file.js'),
        import('../../ingest/formats/registry.js'),
      ]);
      const config = loadConfig(globals(cmd).config);
      const formats = allFormats({ durationUnit: config.ingest.durationUnit, fields: config.fields });
      if (paths.includes('-')) throw new UsageError('detect reads files, not standard input (-)', 'save a sample to a file and detect that');
      const decisions: FileDecision[] = [];
      for (const input of expandPaths(paths)) {
        if (input.kind !== 'file') continue;
        const sample = await sampleFile(input.path);
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
      if (opts.json) printJson(decisions);
      else process.stdout.write(printable(decisions.map(describe).join('\n'), '\n'));
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
