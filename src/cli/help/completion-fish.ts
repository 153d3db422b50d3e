import { allCommands, type CommandNode, type ValueKind } from './command-tree.js';

/**
 * A fish completion script for the tree (`oplens completion fish`). `__oplens_path` finds the command the line
 * is in (words naming subcommands, values of options skipped); every completion is conditional on that path, so
 * `report` offers `weekly` and `baseline` offers `save list rm`, each with its help text.
 */
export function fishCompletion(root: CommandNode): string {
  const commands = allCommands(root);
  const lines: string[] = [];
  for (const c of commands) {
    const when = `-n ${quote(`__oplens_path_is ${quote(c.path.join(' '))}`)}`;
    for (const s of c.commands) lines.push(`complete -c oplens ${when} -a ${quote(s.name)} -d ${quote(s.description)}`);
    for (const o of c.options) {
      const names = o.names.map((n) => (n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`)).join(' ');
      lines.push(`complete -c oplens ${when} ${names}${o.value ? ` ${valueFlags(o.value)}` : ''} -d ${quote(o.summary)}`);
    }
    const arg = c.arguments[0];
    if (arg && !c.commands.length) lines.push(`complete -c oplens ${when} ${valueFlags(arg.value)}`);
  }
  const valued = commands.flatMap((c) => c.options.filter((o) => o.value).flatMap((o) => o.names.map((n) => `${c.path.join(' ')}|${n}`)));
  return `# oplens completion for fish, generated from oplens's own command tree by \`oplens completion fish\`.
# Install: oplens completion fish > ~/.config/fish/completions/oplens.fish

# The command the line is in ("", "report", "baseline save" …): words naming a subcommand, options' values skipped.
function __oplens_path
    set -l words (commandline -opc)
    set -e words[1]
    set -l path
    set -l skip 0
    for word in $words
        if test $skip = 1
            set skip 0
        else if string match -q -- '-*' $word
            if contains -- "$path|$word" $__oplens_valued
                set skip 1
            end
        else if contains -- $word (__oplens_subcommands "$path")
            set -a path $word
        end
    end
    echo "$path"
end

function __oplens_path_is
    test (__oplens_path) = "$argv[1]"
end

function __oplens_subcommands
    switch "$argv[1]"
${commands.filter((c) => c.commands.length).map((c) => `        case ${quote(c.path.join(' '))}\n            printf '%s\\n' ${c.commands.map((s) => quote(s.name)).join(' ')}`).join('\n')}
    end
end

set -g __oplens_valued ${valued.map(quote).join(' ')}

complete -c oplens -f
${lines.join('\n')}
`;
}

function valueFlags(v: ValueKind): string {
  switch (v.kind) {
    case 'file':
      return '-r -F';
    case 'dir':
      return `-x -a ${quote('(__fish_complete_directories)')}`;
    case 'choices':
      return `-x -a ${quote(v.choices.join(' '))}`;
    default:
      return '-x';
  }
}

/** fish single quotes: only the quote and the backslash are special. */
function quote(s: string): string {
  return `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}
