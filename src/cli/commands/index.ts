import type { Command } from 'commander';
import { registerAnalyze } from './analyze.js';
import { registerBaseline } from './baseline.js';
import { registerCompletion } from './completion.js';
import { registerConfig } from './config.js';
import { registerPrune } from './prune.js';
import { registerDemo } from './demo.js';
import { registerDetect } from './detect.js';
import { registerFormats } from './formats.js';
import { registerIncident } from './incident.js';
import { registerIngest } from './ingest.js';
import { registerInit } from './init.js';
import { registerReport } from './report.js';
import { registerShip } from './ship.js';
import { registerStatus } from './status.js';
import { registerWatch } from './watch.js';

/**
 * Every command, in the order `oplens --help` lists them; adding one is one file and one line here. A command's
 * file imports only what registering it needs and loads its implementation in its action, so start-up (`--help`,
 * `--version`, a quick `status`) does not pay for the modules of every other command.
 */
export const COMMANDS: Array<(program: Command) => void> = [registerIngest, registerWatch, registerStatus, registerAnalyze, registerReport, registerIncident, registerBaseline, registerPrune, registerShip, registerFormats, registerDetect, registerInit, registerDemo, registerConfig, registerCompletion];
