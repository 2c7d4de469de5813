import type { Command } from 'commander';
import { CliError, EXIT } from './errors';

/** Every command path with its aliases, e.g. `project p` → `create c new`, read from the program itself. */
function words(command: Command): string[] {
  return command.commands.flatMap((sub) => [sub.name(), ...sub.aliases()]);
}

const names = (command: Command) => [command.name(), ...command.aliases()].join('|');

/** The flags of a command, e.g. `--follow --timeout --output`, for completing `rise d s app --f<TAB>`. */
function flags(command: Command): string[] {
  return command.options.flatMap((option) =>
    [option.long, option.short].filter((flag) => flag !== undefined),
  );
}

/** A bash/zsh completion script generated from the command tree: `source <(rise completion bash)`. */
export function completionScript(program: Command, shell: string): string {
  if (shell !== 'bash' && shell !== 'zsh') throw new CliError('Supported shells: bash, zsh.', EXIT.usage);
  const nouns = program.commands.filter((command) => command.commands.length > 0);
  const cases = nouns
    .map(
      (command) =>
        `    ${names(command)}) COMPREPLY=($(compgen -W "${words(command).join(' ')}" -- "$cur"));;`,
    )
    .join('\n');
  const flagCases = nouns
    .flatMap((noun) =>
      noun.commands
        .filter((verb) => verb.options.length > 0)
        .map(
          (verb) =>
            `    ${[noun.name(), ...noun.aliases()].flatMap((n) => [verb.name(), ...verb.aliases()].map((v) => `${n}/${v}`)).join('|')}) COMPREPLY=($(compgen -W "${flags(verb).join(' ')}" -- "$cur"));;`,
        ),
    )
    .join('\n');
  const script = [
    '_rise() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}"',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=($(compgen -W "${words(program).join(' ')}" -- "$cur")); return`,
    '  fi',
    '  if [ "$COMP_CWORD" -ge 3 ] && [[ "$cur" == -* ]]; then',
    '    case "${COMP_WORDS[1]}/${COMP_WORDS[2]}" in',
    flagCases.replace(/^ {4}/gm, '      '),
    '    esac',
    '    return',
    '  fi',
    '  [ "$COMP_CWORD" -eq 2 ] || return',
    '  case "${COMP_WORDS[1]}" in',
    cases,
    '  esac',
    '}',
    'complete -F _rise rise',
  ].join('\n');
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${script}\n` : `${script}\n`;
}
