import { Command, Option } from 'commander';
import { setDisplayTimeZone } from '../display/format-units.js';
import { setColorFlag } from './terminal.js';

/** Options every command accepts (DESIGN.md "Commands"). */
export interface GlobalOptions {
  db: string;
  config?: string;
  quiet: boolean;
  verbose: boolean;
  progress: boolean;
  tz?: string;
  /** --color / --no-color; unset, the environment and the terminal decide. */
  color?: boolean;
}

export function addGlobalOptions(program: Command): void {
  program
    .addOption(new Option('--db <path>', 'SQLite database, or a clickhouse:// URL of a fleet store (docs/clickhouse.md)').env('OPLENS_DB').default('./oplens.db'))
    .option('--config <file>', 'config file (default: $OPLENS_CONFIG, else the nearest oplens.config.json here or above)')
    .option('-q, --quiet', 'print nothing but errors', false)
    .option('-v, --verbose', 'print more detail', false)
    .option('--no-progress', 'no progress bar on stderr')
    .option('--tz <zone>', 'show times in this IANA time zone (windows and stored times stay UTC)', 'UTC')
    .option('--color', 'colour the terminal summary even when stdout is not a terminal')
    .option('--no-color', 'no colour (as NO_COLOR=1 or TERM=dumb)')
    // Display settings are applied once, before any command prints.
    .hook('preAction', (_program, action) => {
      const g = globals(action);
      setDisplayTimeZone(g.tz);
      setColorFlag(g.color);
    });
}

/** The global options as seen from inside a subcommand's action. */
export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}
