import type { Command } from 'commander';
import { registerIngest } from './ingest.js';
import { registerStatus } from './status.js';

/** Every command, in the order `oplens --help` lists them; adding one is one file and one line here. */
export const COMMANDS: Array<(program: Command) => void> = [registerIngest, registerStatus];
