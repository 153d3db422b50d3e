import { Argument, type Command } from 'commander';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script for bash, zsh or fish (README "Shell completion" says where it goes)')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText('after', `
Examples:
  $ oplens completion bash > ~/.local/share/bash-completion/completions/oplens
  $ oplens completion zsh > ~/.zfunc/_oplens       # a directory in $fpath, before compinit
  $ oplens completion fish > ~/.config/fish/completions/oplens.fish`)
    .action(async (shell: (typeof SHELLS)[number], _opts: unknown, cmd: Command) => {
      const { completionScript } = await import('../help/completion-script.js');
      let root = cmd;
      while (root.parent) root = root.parent;
      process.stdout.write(completionScript(root, shell));
    });
}
