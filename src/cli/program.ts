import { COMMANDS } from './commands/index.js';
import { addGlobalOptions } from './global-options.js';
import { OplensCommand } from './oplens-command.js';
import { VERSION } from './version.js';

/** The whole command tree: what main.ts parses, and what the completion scripts and the man page are made from. */
export function buildProgram(): OplensCommand {
  const program = new OplensCommand('oplens')
    .description('Turn JSONL operation logs into performance reports with ranked, evidence-backed recommendations.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 failure, 2 usage error, 3 thresholds breached with --fail-on, 4 the database is damaged.

Examples:
  $ oplens ingest logs/                      read every *.jsonl, *.log and .gz under logs/
  $ oplens analyze --days 7                  summary of the last 7 days
  $ oplens report weekly                     reports/oplens-YYYY-Www.html and .md for last week`,
    );
  addGlobalOptions(program);
  for (const register of COMMANDS) register(program);
  return program;
}
