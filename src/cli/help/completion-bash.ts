import { allCommands, type CommandNode, type ValueKind } from './command-tree.js';
import { shellQuote } from '../../display/shell-quote.js';

/**
 * A bash completion script for the tree (`oplens completion bash`). The tree is written into the script, so
 * completing starts no Node process. The line is walked from the left: a word naming a subcommand of the command
 * so far goes one level down; an option that takes a value skips its value (also `--opt=value`, which bash splits
 * at `=`); then the word under the cursor is completed as an option, a subcommand, or the value it stands for.
 */
export function bashCompletion(root: CommandNode): string {
  const commands = allCommands(root);
  const caseOf = (fn: string, body: string[]) => `${fn}() {\n  case $1 in\n${body.join('\n')}\n    *) REPLY='' ;;\n  esac\n}\n`;
  const key = (c: CommandNode) => shellQuote(c.path.join(' '));
  return `# oplens completion for bash, generated from oplens's own command tree by \`oplens completion bash\`.
# Install: oplens completion bash > ~/.local/share/bash-completion/completions/oplens
#      or: echo 'source <(oplens completion bash)' >> ~/.bashrc

# The subcommands of a command (its path, as words joined by spaces).
${caseOf('_oplens_commands', commands.filter((c) => c.commands.length).map((c) => `    ${key(c)}) REPLY=${shellQuote(c.commands.map((s) => s.name).join(' '))} ;;`))}
# The options of a command, its own and those of the commands above it.
${caseOf('_oplens_options', commands.map((c) => `    ${key(c)}) REPLY=${shellQuote(c.options.flatMap((o) => o.names).join(' '))} ;;`))}
# What the value of an option is (file, dir, text or "choices A B"), or nothing when it takes none.
_oplens_option_value() {
  case $1\\|$2 in
${commands.flatMap((c) => c.options.filter((o) => o.value).map((o) => `    ${shellQuote(`${c.path.join(' ')}|`)}${o.names.map(shellQuote).join(`|${shellQuote(`${c.path.join(' ')}|`)}`)}) REPLY=${shellQuote(kindWord(o.value!))} ;;`)).join('\n')}
    *) REPLY='' ;;
  esac
}
# What the command's next argument is; a variadic last argument repeats.
_oplens_argument() {
  case $1 in
${commands.filter((c) => c.arguments.length).map((c) => `    ${key(c)}) local kinds=(${c.arguments.map((a) => shellQuote(kindWord(a.value))).join(' ')}); REPLY=\${kinds[$2]-${c.arguments.at(-1)!.variadic ? '${kinds[-1]}' : ''}} ;;`).join('\n')}
    *) REPLY='' ;;
  esac
}

_oplens_values() {
  local IFS=$'\\n'
  case $1 in
    file) COMPREPLY=($(compgen -f -- "$2")); compopt -o filenames 2>/dev/null ;;
    dir) COMPREPLY=($(compgen -d -- "$2")); compopt -o filenames 2>/dev/null ;;
    choices\\ *) IFS=$' \\t\\n'; COMPREPLY=($(compgen -W "\${1#choices }" -- "$2")) ;;
    *) COMPREPLY=() ;;
  esac
}

_oplens() {
  local cur=\${COMP_WORDS[COMP_CWORD]} path='' word kind i args=0 REPLY
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if [[ $word == -?* ]]; then
      _oplens_option_value "$path" "$word"
      kind=$REPLY
      [[ -z $kind ]] && continue
      if [[ \${COMP_WORDS[i+1]} == = ]]; then
        ((i++))
        if ((i == COMP_CWORD)); then _oplens_values "$kind" ''; return 0; fi
      fi
      if ((i + 1 == COMP_CWORD)); then _oplens_values "$kind" "$cur"; return 0; fi
      ((i++))
      continue
    fi
    _oplens_commands "$path"
    if [[ $args == 0 && " $REPLY " == *" $word "* ]]; then
      path=\${path:+$path }$word
    else
      ((args++))
    fi
  done
  if [[ $cur == -* ]]; then
    _oplens_options "$path"
    COMPREPLY=($(compgen -W "$REPLY" -- "$cur"))
    return 0
  fi
  _oplens_commands "$path"
  if [[ -n $REPLY && $args == 0 ]]; then
    COMPREPLY=($(compgen -W "$REPLY" -- "$cur"))
    return 0
  fi
  _oplens_argument "$path" "$args"
  _oplens_values "$REPLY" "$cur"
}

complete -F _oplens oplens
`;
}

function kindWord(v: ValueKind): string {
  return v.kind === 'choices' ? `choices ${v.choices.join(' ')}` : v.kind;
}
