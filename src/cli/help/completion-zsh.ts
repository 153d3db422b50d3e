import { allCommands, type ArgumentNode, type CommandNode, type OptionNode, type ValueKind } from './command-tree.js';

/**
 * A zsh completion function for the tree (`oplens completion zsh`): one function per command, `_arguments` specs
 * with each option's help text, and `_describe` for subcommands. Works autoloaded from $fpath (`#compdef`) and
 * sourced (it then registers itself with compdef).
 */
export function zshCompletion(root: CommandNode): string {
  return `#compdef oplens
# oplens completion for zsh, generated from oplens's own command tree by \`oplens completion zsh\`.
# Install: oplens completion zsh > "\${fpath[1]}/_oplens"   (any directory in $fpath, before compinit runs)

${allCommands(root).map(commandFunction).join('\n')}
if [[ $funcstack[1] == ${functionName(root)} ]]; then
  ${functionName(root)} "$@"
else
  compdef ${functionName(root)} oplens
fi
`;
}

function commandFunction(c: CommandNode): string {
  const specs = [...c.options.map(optionSpecs).flat()];
  if (!c.commands.length) {
    specs.push(...c.arguments.map(argumentSpec));
    return `${functionName(c)}() {\n  _arguments -s -S \\\n${specs.map((s) => `    ${s}`).join(' \\\n')}\n}\n`;
  }
  specs.push(quote(': :->command'), quote('*:: :->args'));
  const title = ['oplens', ...c.path, 'command'].join(' ');
  return `${functionName(c)}() {
  local curcontext=$curcontext state line ret=1
  _arguments -C -s -S \\
${specs.map((s) => `    ${s}`).join(' \\\n')} && ret=0
  case $state in
    command)
      local -a commands=(
${c.commands.map((s) => `        ${quote(`${s.name.replace(/:/g, '\\:')}:${s.description}`)}`).join('\n')}
      )
      _describe -t commands ${quote(title)} commands && ret=0 ;;
    args)
      case $line[1] in
${c.commands.map((s) => `        ${s.name}) ${functionName(s)} && ret=0 ;;`).join('\n')}
      esac ;;
  esac
  return ret
}
`;
}

function optionSpecs(o: OptionNode): string[] {
  const value = o.value ? `:${o.value.name}:${action(o.value)}` : '';
  const exclusive = o.names.length > 1 ? `(${o.names.join(' ')})` : '';
  return o.names.map((n) => quote(`${exclusive}${n}[${bracketed(o.summary)}]${value}`));
}

function argumentSpec(a: ArgumentNode): string {
  const position = a.variadic ? '*:' : a.required ? ':' : '::';
  return quote(`${position}${a.name}:${action(a.value)}`);
}

function action(v: ValueKind): string {
  switch (v.kind) {
    case 'file':
      return '_files';
    case 'dir':
      return '_files -/';
    case 'choices':
      return `(${v.choices.join(' ')})`;
    default:
      return ' ';
  }
}

function functionName(c: CommandNode): string {
  return ['_oplens', ...c.path].join('_').replace(/-/g, '_');
}

/** Inside `[...]` of an _arguments spec, brackets and backslashes are escaped. */
function bracketed(s: string): string {
  return s.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
