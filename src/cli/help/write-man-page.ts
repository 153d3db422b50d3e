import fs from 'node:fs';
import { buildProgram } from '../program.js';
import { VERSION } from '../version.js';
import { commandTree } from './command-tree.js';
import { manPage } from './man-page.js';

// A build step (package.json "build"): dist/oplens.1, the man page package.json's "man" field installs.
fs.writeFileSync(new URL('../../oplens.1', import.meta.url), manPage(commandTree(buildProgram()), VERSION));
