import type { Command } from 'commander';
import { globals } from '../global-options.js';
import { jsonOption, printJson } from '../json-output.js';

export function registerFormats(program: Command): void {
  program
    .command('formats')
    .description('list the log formats oplens reads (for --format); auto-detection tries them in this order')
    .addOption(jsonOption('the formats ({name, description})'))
    .addHelpText('after', `
Examples:
  $ oplens formats
  $ oplens ingest logs/access.log --format caddy`)
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const [{ loadConfig }, { allFormats }] = await Promise.all([import('../../config/load-config.js'), import('../../ingest/formats/registry.js')]);
      const config = loadConfig(globals(cmd).config);
      const formats = allFormats({ durationUnit: config.ingest.durationUnit, fields: config.fields });
      if (opts.json) {
        printJson(formats.map(({ name, description }) => ({ name, description })));
        return;
      }
      const width = Math.max(...formats.map((f) => f.name.length));
      process.stdout.write(formats.map((f) => `${f.name.padEnd(width)}  ${f.description}`).join('\n') + '\n');
    });
}
