import { runCli } from './cli.js';

/** One command as its `--help` text describes it, read from the text alone. */
export interface HelpCommand {
  path: string[];
  /** Names under "Commands:", commander's `help` included. */
  subcommands: string[];
  /** Each entry under "Options:": its names (`-q`, `--quiet`), the value it takes, and its whole text. */
  options: Array<{ names: string[]; value: string | null; text: string }>;
}

/** The entries of a help section (`Options:`), continuation lines joined to their entry. */
function section(help: string, title: string): string[] {
  const body = help.split(new RegExp(`^${title}:\\n`, 'm'))[1];
  if (!body) return [];
  const entries: string[] = [];
  for (const line of body.split(/\n\n/)[0].split('\n')) {
    if (/^ {2}\S/.test(line)) entries.push(line.trim());
    else entries[entries.length - 1] += ' ' + line.trim();
  }
  return entries;
}

export function parseHelp(path: string[], help: string): HelpCommand {
  return {
    path,
    subcommands: section(help, 'Commands').map((e) => e.split(/\s/)[0]),
    options: section(help, 'Options').map((text) => {
      const term = text.split(/ {2,}/)[0];
      return { names: term.match(/-{1,2}[\w-]+/g) ?? [], value: /[<[]([^>\]]+)[>\]]/.exec(term)?.[1] ?? null, text };
    }),
  };
}

/** The program and every command below it, walking `--help` (the implicit `help` command is not walked into). */
export function helpCommands(): HelpCommand[] {
  const out: HelpCommand[] = [];
  const walk = (path: string[]) => {
    const r = runCli([...path, '--help']);
    if (r.code !== 0) throw new Error(`oplens ${path.join(' ')} --help: ${r.stderr}`);
    const cmd = parseHelp(path, r.stdout);
    out.push(cmd);
    for (const name of cmd.subcommands) if (name !== 'help') walk([...path, name]);
  };
  walk([]);
  return out;
}
