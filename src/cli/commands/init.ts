import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../../config/config-file-name.js';
import type { SampledFile } from '../../config/starter-config.js';
import { UsageError } from '../../errors.js';
import { globals } from '../global-options.js';
import { note } from '../terminal.js';

/** Files sampled at most: a starter config needs the shapes, not the volume. */
const MAX_FILES = 50;

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a starter oplens.config.json for the logs in a directory (formats, thresholds, a field mapping if needed)')
    .argument('[dir]', 'directory (or files, globs) with logs', '.')
    .option('-o, --out <file>', 'where to write the config', DEFAULT_CONFIG_FILE)
    .option('--force', 'overwrite an existing config file', false)
    .addHelpText('after', `
Examples:
  $ oplens init logs/
  $ oplens init /var/log/myapp --out /etc/oplens/oplens.config.json`)
    .action(async (dir: string, opts: { out: string; force: boolean }, cmd: Command) => {
      const [{ loadConfig, parseConfig }, { starterConfig }, { expandPaths }, { allFormats, detectFormat }, { sampleFile }] = await Promise.all([
        import('../../config/load-config.js'), import('../../config/starter-config.js'), import('../../ingest/expand-paths.js'),
        import('../../ingest/formats/registry.js'), import('../../ingest/sample-file.js'),
      ]);
      const g = globals(cmd);
      if (fs.existsSync(opts.out) && !opts.force) {
        throw new UsageError(`${opts.out} already exists`, 'pass --force to overwrite it, or --out another file');
      }
      const config = loadConfig(g.config);
      const formats = allFormats({ durationUnit: config.ingest.durationUnit });
      const files: SampledFile[] = [];
      for (const input of expandPaths([dir]).slice(0, MAX_FILES)) {
        if (input.kind !== 'file') continue;
        const sample = await sampleFile(input.path);
        files.push({ file: input.path, records: sample.records, detection: detectFormat(sample.records, formats) });
      }
      const starter = starterConfig(files);
      parseConfig(starter.config); // what init writes must load
      fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
      fs.writeFileSync(opts.out, JSON.stringify(starter.config, null, 2) + '\n');
      note(g.quiet, [...starter.notes, `wrote ${opts.out}`].join('\n'));
    });
}
