#!/usr/bin/env node
import { CommanderError } from 'commander';
import { EXIT, OplensError } from '../errors.js';
import { printable } from '../display/printable.js';
import { endQuietlyOnClosedPipe } from './closed-pipe.js';
import { COMMANDS } from './commands/index.js';
import { addGlobalOptions } from './global-options.js';
import { OplensCommand } from './oplens-command.js';
import { VERSION } from './version.js';

endQuietlyOnClosedPipe();

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

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = await handleError(e);
}

async function handleError(e: unknown): Promise<number> {
  if (e instanceof CommanderError) {
    // Help or the version, already printed (parse errors are UsageErrors, see OplensCommand). Help asked for exits
    // 0; help shown because a subcommand was missing (`oplens report`) is a usage error.
    return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (e instanceof OplensError) {
    process.stderr.write(`oplens: ${printable(e.message, '\n')}\n`);
    if (e.hint) process.stderr.write(`  hint: ${printable(e.hint)}\n`);
    return e.exitCode;
  }
  // Unknown errors keep their stack: they are bugs to report.
  process.stderr.write(`oplens: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
  return EXIT.failure;
}
