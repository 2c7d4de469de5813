import { Command } from 'commander';
import { COMMANDS } from './commands';
import { addSpec } from './lib/command-builder';
import { EXIT } from './lib/errors';

/** The `rise` program: every command spec turned into a commander command. */
export function buildProgram(): Command {
  const program = new Command('rise')
    .description('Deploy container apps with Rise')
    .showHelpAfterError()
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT.usage));
  for (const spec of COMMANDS) addSpec(program, spec, program);
  return program;
}
