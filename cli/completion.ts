/**
 * `gatehouse completion bash|zsh|fish`: a completion script for the shell, made from the command line's
 * own definition (commander's commands and options), so it always offers what this version has.
 *
 *   bash: source <(gatehouse completion bash)                     (in ~/.bashrc)
 *   zsh:  source <(gatehouse completion zsh)                      (in ~/.zshrc, after compinit)
 *   fish: gatehouse completion fish > ~/.config/fish/completions/gatehouse.fish
 */
import type { Command } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface OptionSpec {
  long: string;
  description: string;
  /** Takes a value (`--region <region>`). */
  takesValue: boolean;
  choices?: readonly string[];
}

interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** The values its argument takes, when it has a fixed list (`completion bash|zsh|fish`). */
  values: readonly string[];
}

const HELP: OptionSpec = { long: '--help', description: 'show help', takesValue: false };

function optionsOf(command: Command): OptionSpec[] {
  const options = command.options.flatMap((option): OptionSpec[] =>
    option.long ? [{ long: option.long, description: option.description, takesValue: option.required || option.optional, choices: option.argChoices }] : [],
  );
  return [...options, HELP];
}

function specOf(program: Command): { commands: CommandSpec[]; global: OptionSpec[] } {
  const commands = program.commands
    .filter((command) => command.name() !== 'help')
    .map((command) => ({
      name: command.name(),
      description: command.description(),
      options: optionsOf(command),
      values: command.registeredArguments.flatMap((argument) => argument.argChoices ?? []),
    }));
  const global = optionsOf(program);
  if (!global.some((option) => option.long === '--version')) global.push({ long: '--version', description: 'show the version', takesValue: false });
  return { commands, global };
}

/** Single-quoted for any of the three shells (a quote itself is closed, escaped, reopened; fish reads \' inside quotes). */
const quoted = (text: string, shell: Shell) => (shell === 'fish' ? `'${text.replace(/[\\']/g, '\\$&')}'` : `'${text.replace(/'/g, `'\\''`)}'`);

function valueOptions(spec: { commands: CommandSpec[]; global: OptionSpec[] }): string[] {
  return [...new Set([...spec.global, ...spec.commands.flatMap((command) => command.options)].filter((option) => option.takesValue).map((option) => option.long))];
}

function choicesCases(spec: { commands: CommandSpec[]; global: OptionSpec[] }): [string, readonly string[]][] {
  const seen = new Map<string, readonly string[]>();
  for (const option of [...spec.global, ...spec.commands.flatMap((command) => command.options)]) if (option.choices) seen.set(option.long, option.choices);
  return [...seen];
}

function bash(spec: { commands: CommandSpec[]; global: OptionSpec[] }): string {
  const values = valueOptions(spec).join('|');
  const cases = spec.commands.map((command) => `    ${command.name}) opts=${quoted([...command.values, ...command.options.map((option) => option.long)].join(' '), 'bash')} ;;`);
  const choices = choicesCases(spec).map(([long, list]) => `    ${long}) COMPREPLY=($(compgen -W ${quoted(list.join(' '), 'bash')} -- "$cur")); return ;;`);
  return `# gatehouse completion for bash: source <(gatehouse completion bash)
_gatehouse() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" command="" opts i
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      --) return ;;
      ${values}) ((i++)) ;;
      -*) ;;
      *) command="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$prev" in
${choices.join('\n')}
    ${values}) return ;;
  esac
  if [[ -z "$command" ]]; then
    if [[ "$cur" == -* ]]; then opts=${quoted(spec.global.map((option) => option.long).join(' '), 'bash')}; else opts=${quoted(spec.commands.map((command) => command.name).join(' '), 'bash')}; fi
  else
    case "$command" in
${cases.join('\n')}
    *) return ;;
    esac
  fi
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -o default -F _gatehouse gatehouse
`;
}

/** zsh's _describe entries: `name:description`, colons in the name escaped. */
const described = (name: string, description: string) => quoted(`${name.replace(/:/g, '\\:')}:${description}`, 'zsh');

function zsh(spec: { commands: CommandSpec[]; global: OptionSpec[] }): string {
  const values = valueOptions(spec).join('|');
  const cases = spec.commands.map((command) => {
    const valueList = command.values.length > 0 ? `values=(${command.values.map((value) => described(value, value)).join(' ')}); ` : '';
    return `    ${command.name}) ${valueList}items=(${command.options.map((option) => described(option.long, option.description)).join(' ')}) ;;`;
  });
  const choices = choicesCases(spec).map(([long, list]) => `    ${long}) compadd -- ${list.map((choice) => quoted(choice, 'zsh')).join(' ')}; return ;;`);
  return `#compdef gatehouse
# gatehouse completion for zsh: source <(gatehouse completion zsh) after compinit, or save it as _gatehouse on $fpath.
_gatehouse() {
  local command="" i
  local -a items values
  for ((i = 2; i < CURRENT; i++)); do
    case "\${words[i]}" in
      --) return 1 ;;
      ${values}) ((i++)) ;;
      -*) ;;
      *) command="\${words[i]}"; break ;;
    esac
  done
  case "\${words[CURRENT-1]}" in
${choices.join('\n')}
    ${values}) return 1 ;;
  esac
  if [[ -z "$command" ]]; then
    if [[ "\${words[CURRENT]}" == -* ]]; then
      items=(${spec.global.map((option) => described(option.long, option.description)).join(' ')})
      _describe -t options 'option' items
    else
      items=(${spec.commands.map((command) => described(command.name, command.description)).join(' ')})
      _describe -t commands 'gatehouse command' items
    fi
    return
  fi
  case "$command" in
${cases.join('\n')}
    *) return 1 ;;
  esac
  # Options are offered once a word starts with -, as zsh does (its prefix-needed style); values always.
  (( \${#values} )) && _describe -t values 'value' values
  _describe -t options 'option' items
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  _gatehouse "$@"
else
  compdef _gatehouse gatehouse
fi
`;
}

function fish(spec: { commands: CommandSpec[]; global: OptionSpec[] }): string {
  const lines = ['# gatehouse completion for fish: gatehouse completion fish > ~/.config/fish/completions/gatehouse.fish', 'complete -c gatehouse -f'];
  const names = spec.commands.map((command) => command.name).join(' ');
  for (const command of spec.commands) {
    lines.push(`complete -c gatehouse -n ${quoted(`not __fish_seen_subcommand_from ${names}`, 'fish')} -a ${command.name} -d ${quoted(command.description, 'fish')}`);
  }
  const option = (spec: OptionSpec, condition: string) => {
    const value = spec.takesValue ? (spec.choices ? ` -x -a ${quoted(spec.choices.join(' '), 'fish')}` : ' -x') : '';
    return `complete -c gatehouse -n ${quoted(condition, 'fish')} -l ${spec.long.replace(/^--/, '')}${value} -d ${quoted(spec.description, 'fish')}`;
  };
  for (const global of spec.global) lines.push(option(global, `not __fish_seen_subcommand_from ${names}`));
  for (const command of spec.commands) {
    for (const each of command.options) lines.push(option(each, `__fish_seen_subcommand_from ${command.name}`));
    if (command.values.length > 0) {
      lines.push(`complete -c gatehouse -n ${quoted(`__fish_seen_subcommand_from ${command.name}`, 'fish')} -a ${quoted(command.values.join(' '), 'fish')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(program: Command, shell: Shell): string {
  const spec = specOf(program);
  switch (shell) {
    case 'bash':
      return bash(spec);
    case 'zsh':
      return zsh(spec);
    case 'fish':
      return fish(spec);
  }
}
