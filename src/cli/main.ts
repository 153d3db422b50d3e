#!/usr/bin/env node
import { CommanderError } from 'commander';
import { EXIT, OplensError } from '../errors.js';
import { printable } from '../display/printable.js';
import { endQuietlyOnClosedPipe } from './closed-pipe.js';
import { buildProgram } from './program.js';

endQuietlyOnClosedPipe();

const program = buildProgram();

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
