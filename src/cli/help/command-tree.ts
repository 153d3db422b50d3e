import type { EventEmitter } from 'node:events';
import type { Argument, Command, Help, Option } from 'commander';

/**
 * The command line as `--help` shows it, read from commander's own tree: the one source the completion scripts
 * and the man page are generated from, so they cannot drift from the parser. Hidden commands and options stay out.
 */
export interface CommandNode {
  name: string;
  /** `['baseline', 'save']`; empty for the program. */
  path: string[];
  /** commander's usage, without the command's name (`[options] <paths...>`). */
  usage: string;
  description: string;
  /** Options of this command, then those of the commands above it (which apply here too). */
  options: OptionNode[];
  arguments: ArgumentNode[];
  commands: CommandNode[];
  /** The help text after the option list (notes, examples), as `--help` prints it. */
  after: string;
}

/** What a value is, for completion: a file, a directory, one of a list, or text nothing can complete. */
export type ValueKind = { kind: 'file' } | { kind: 'dir' } | { kind: 'choices'; choices: string[] } | { kind: 'text' };

export interface OptionNode {
  /** `--db <path>` as the help shows it, and the names that spell it. */
  term: string;
  names: string[];
  long?: string;
  /** The help's description, with default, choices and environment variable. */
  description: string;
  /** The description alone, for a completion menu. */
  summary: string;
  /** The environment variable that gives its default. */
  env?: string;
  /** null when the option takes no value. */
  value: (ValueKind & { name: string; optional: boolean }) | null;
  /** Set on a command above this one. */
  inherited: boolean;
}

export interface ArgumentNode {
  name: string;
  term: string;
  description: string;
  required: boolean;
  variadic: boolean;
  value: ValueKind;
}

/** The tree below `cmd`; `siblings` are the commands beside it (what `help [command]` names). */
export function commandTree(cmd: Command, path: string[] = [], siblings: Command[] = []): CommandNode {
  const help = cmd.createHelp();
  help.showGlobalOptions = true;
  const visible = help.visibleCommands(cmd);
  return {
    name: cmd.name(),
    path,
    usage: cmd.usage(),
    description: help.commandDescription(cmd),
    options: [
      ...help.visibleOptions(cmd).map((o) => optionNode(help, o, false)),
      ...help.visibleGlobalOptions(cmd).map((o) => optionNode(help, o, true)),
    ],
    arguments: cmd.registeredArguments.map((a) => argumentNode(help, a, siblings)),
    commands: visible.map((c) => commandTree(c, [...path, c.name()], visible)),
    after: helpTextAfter(cmd),
  };
}

/** Every command of the tree, the program first. */
export function allCommands(root: CommandNode): CommandNode[] {
  return [root, ...root.commands.flatMap(allCommands)];
}

function optionNode(help: Help, o: Option, inherited: boolean): OptionNode {
  const takes = o.required || o.optional;
  const name = /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1]?.replace(/\.\.\.$/, '') ?? 'value';
  return {
    term: help.optionTerm(o),
    names: [o.short, o.long].filter((n): n is string => !!n),
    long: o.long,
    description: help.optionDescription(o),
    summary: o.description,
    env: o.envVar,
    value: takes ? { ...valueKind(name, o.argChoices), name, optional: o.optional } : null,
    inherited,
  };
}

function argumentNode(help: Help, a: Argument, siblings: Command[]): ArgumentNode {
  // The implicit `help [command]` takes the name of a command beside it.
  const choices = a.argChoices ?? (a.name() === 'command' ? siblings.map((c) => c.name()).filter((n) => n !== 'help') : undefined);
  return {
    name: a.name(),
    term: help.argumentTerm(a),
    description: help.argumentDescription(a),
    required: a.required,
    variadic: a.variadic,
    value: valueKind(a.name(), choices),
  };
}

/** A value is named by what it is (`<path>`, `<file>`, `<dir>`, `<paths...>`); that name says how to complete it. */
function valueKind(name: string, choices: string[] | undefined): ValueKind {
  if (choices?.length) return { kind: 'choices', choices: [...choices] };
  if (/^dir/i.test(name)) return { kind: 'dir' };
  if (/^(path|file)s?$/i.test(name)) return { kind: 'file' };
  return { kind: 'text' };
}

/**
 * The text added with addHelpText('after'): commander keeps it only as a listener of its help event (a Command is
 * an EventEmitter, which its type declarations leave out).
 */
function helpTextAfter(cmd: Command): string {
  let text = '';
  (cmd as unknown as EventEmitter).emit('afterHelp', { error: false, command: cmd, write: (s: string) => void (text += s) });
  return text.replace(/^\n+/, '').replace(/\s+$/, '');
}
