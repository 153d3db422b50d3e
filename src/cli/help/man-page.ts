import { allCommands, type CommandNode, type OptionNode } from './command-tree.js';

/**
 * The man page (roff, man macros) made from the same tree as `--help`: the program's options, then each command
 * with its usage, arguments, options and the notes and examples its help shows.
 */
export function manPage(root: CommandNode, version: string): string {
  const [summary] = root.description.split('\n');
  const out: string[] = [
    `.TH OPLENS 1 "" "oplens ${esc(version)}" "User Commands"`,
    '.nh',
    '.ad l',
    '.SH NAME',
    `oplens \\- ${esc(lowerFirst(summary.replace(/\.$/, '')))}`,
    '.SH SYNOPSIS',
    '.B oplens',
    `[\\fIoptions\\fR] \\fIcommand\\fR [\\fIcommand options\\fR] [\\fIarguments\\fR]`,
    '.SH DESCRIPTION',
    esc(root.description),
    '.PP',
    `Every command also takes the options below. \\fBoplens\\fR \\fIcommand\\fR \\fB\\-\\-help\\fR shows a command's help.`,
    '.SH OPTIONS',
    ...root.options.flatMap(option),
    '.SH COMMANDS',
  ];
  for (const c of allCommands(root).slice(1)) {
    out.push(`.SS "${esc(['oplens', ...c.path, c.usage].filter(Boolean).join(' '))}"`, esc(c.description));
    for (const a of c.arguments) out.push('.TP', `\\fI${esc(a.term)}\\fR`, esc(a.description));
    for (const o of c.options.filter((x) => !x.inherited)) out.push(...option(o));
    if (c.after) out.push(...preformatted(c.after));
  }
  const env = root.options.filter((o) => o.env);
  if (env.length) {
    out.push('.SH ENVIRONMENT');
    for (const o of env) out.push('.TP', `.B ${esc(o.env!)}`, `the default of \\fB${esc(o.long ?? o.names[0])}\\fR`);
  }
  if (root.after) out.push('.SH NOTES', ...preformatted(root.after));
  out.push('.SH SEE ALSO', 'README.md and docs/ in the package, and \\fBoplens\\fR \\fIcommand\\fR \\fB\\-\\-help\\fR.');
  return out.join('\n') + '\n';
}

function option(o: OptionNode): string[] {
  const [names, value] = [o.names.map((n) => `\\fB${esc(n)}\\fR`).join(', '), o.value ? ` \\fI${esc(o.value.name)}\\fR` : ''];
  return ['.TP', names + value, esc(o.description)];
}

/** Notes and examples keep their lines and indentation. */
function preformatted(text: string): string[] {
  return ['.PP', '.nf', ...text.split('\n').map((l) => (l.trim() === '' ? '' : esc(l))), '.fi'];
}

/**
 * Text as roff reads it literally: backslashes and minus signs escaped, a line starting with a dot or a quote made
 * plain text, characters beyond ASCII written as groff's \[uXXXX] so no input encoding is assumed.
 */
function esc(s: string): string {
  return s
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/[^\x00-\x7f]/gu, (c) => `\\[u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`)
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .join('\n');
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
