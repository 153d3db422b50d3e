import { Command } from 'commander';
import { UsageError } from '../errors.js';

/**
 * commander's Command with its parse errors (unknown option or command, missing or excess argument, a value
 * outside the choices) turned into UsageErrors, so they print like every other error: one `oplens: ...` line
 * and a hint, exit 2. Its own text is three lines starting `error:`.
 */
export class OplensCommand extends Command {
  override createCommand(name?: string): Command {
    return new OplensCommand(name);
  }

  override error(message: string, errorOptions?: { code?: string; exitCode?: number }): never {
    const lines = message.replace(/^error: /, '').split('\n').filter(Boolean);
    const suggestion = lines.find((l) => l.startsWith('(Did you mean'));
    const text = lines.filter((l) => l !== suggestion).join(' ');
    const help = `${commandPath(this)} --help`;
    const hint = suggestion
      ? `${suggestion.slice(1, -1).replace(/^Did/, 'did')} (${help} lists them)`
      : errorOptions?.code === 'commander.excessArguments' || errorOptions?.code === 'commander.missingArgument'
        ? `${help} shows the arguments it takes`
        : `${help} shows the usage`;
    throw new UsageError(text, hint);
  }
}

/** `oplens baseline save`: the words that reach this command. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
