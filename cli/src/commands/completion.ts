import type { Command } from 'commander';
import { CliError, EXIT } from '../lib/errors';

/** Every command path with its aliases, e.g. `project p` → `create c new`, read from the program itself. */
function words(command: Command): string[] {
  return command.commands.flatMap((sub) => [sub.name(), ...sub.aliases()]);
}

/** A bash/zsh completion script generated from the command tree: `source <(rise completion bash)`. */
export function completionScript(program: Command, shell: string): string {
  if (shell !== 'bash' && shell !== 'zsh') throw new CliError('Supported shells: bash, zsh.', EXIT.usage);
  const cases = program.commands
    .filter((command) => command.commands.length > 0)
    .map(
      (command) =>
        `    ${[command.name(), ...command.aliases()].join('|')}) COMPREPLY=($(compgen -W "${words(command).join(' ')}" -- "$cur"));;`,
    )
    .join('\n');
  const script = [
    '_rise() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}"',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=($(compgen -W "${words(program).join(' ')}" -- "$cur")); return`,
    '  fi',
    '  case "${COMP_WORDS[1]}" in',
    cases,
    '  esac',
    '}',
    'complete -F _rise rise',
  ].join('\n');
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${script}\n` : `${script}\n`;
}
