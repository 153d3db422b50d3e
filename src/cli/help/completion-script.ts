import type { Command } from 'commander';
import { bashCompletion } from './completion-bash.js';
import { commandTree } from './command-tree.js';
import { fishCompletion } from './completion-fish.js';
import { zshCompletion } from './completion-zsh.js';

const GENERATORS = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion };

/** The completion script of a shell for the program's command tree. */
export function completionScript(program: Command, shell: keyof typeof GENERATORS): string {
  return GENERATORS[shell](commandTree(program));
}
