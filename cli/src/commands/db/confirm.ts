import { createInterface } from 'node:readline/promises';
import { CliError, EXIT } from '../../lib/errors';
import { say } from '../../lib/output';

/** What to do about a destructive step: go ahead (--yes), ask on a terminal, or refuse in scripts. */
export function confirmation(yes: boolean | undefined, interactive: boolean): 'proceed' | 'ask' | 'refuse' {
  if (yes) return 'proceed';
  return interactive ? 'ask' : 'refuse';
}

/**
 * Confirms a destructive step: with --yes at once; on a terminal by typing `name`; otherwise it
 * refuses, so scripts must say --yes.
 */
export async function confirmDestructive(name: string, what: string, yes: boolean | undefined) {
  const decision = confirmation(yes, Boolean(process.stdin.isTTY && process.stderr.isTTY));
  if (decision === 'proceed') return;
  if (decision === 'refuse')
    throw new CliError(`Refusing to ${what} without --yes (stdin is not a terminal).`, EXIT.usage);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    say(`This will ${what}.`);
    const answer = await prompt.question(`Type '${name}' to confirm: `);
    if (answer.trim() !== name) throw new CliError('Not confirmed; nothing changed.', EXIT.failure);
  } finally {
    prompt.close();
  }
}
