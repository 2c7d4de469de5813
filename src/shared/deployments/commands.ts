import { z } from 'zod';

/**
 * The commands a project sets for its containers: the start command (`[deploy] command`), the release
 * command (`[deploy] release`) and the post-deploy command (`[deploy] post_deploy`).
 *
 * Written as a string, a command runs through the image's shell, as on Heroku and Render:
 * `npm run migrate && node seed.js` becomes `["/bin/sh", "-c", "npm run migrate && node seed.js"]`.
 * Written as an array of strings, it is the argument vector itself, run without a shell (the image
 * then needs no /bin/sh, e.g. a distroless one). Either way it replaces the image's ENTRYPOINT and CMD.
 * Stored as the argument vector; an empty one means "not set".
 */
export const SHELL = ['/bin/sh', '-c'] as const;

const MAX_COMMAND_LENGTH = 4096;

const commandString = z
  .string()
  .trim()
  .min(1, { message: 'expected a command, e.g. "node server.js"' })
  .max(MAX_COMMAND_LENGTH, { message: `expected at most ${MAX_COMMAND_LENGTH} characters` })
  .refine((value) => !value.includes('\0'), { message: 'a command cannot contain a NUL character' });

const commandVector = z
  .array(
    z
      .string()
      .min(1, { message: 'expected a non-empty argument' })
      .max(MAX_COMMAND_LENGTH)
      .refine((value) => !value.includes('\0'), { message: 'an argument cannot contain a NUL character' }),
    { message: 'expected a string ("node server.js") or an array of strings (["node", "server.js"])' },
  )
  .min(1, { message: 'expected at least the program to run' })
  .max(256, { message: 'expected at most 256 arguments' });

/** A command as people write it: a shell string or an argument vector. */
export const commandInput = z.union([commandString, commandVector], {
  message: 'expected a string ("node server.js") or an array of strings (["node", "server.js"])',
});
export type CommandInput = z.infer<typeof commandInput>;

/** The argument vector a command runs as. */
export function commandArgv(command: CommandInput): string[] {
  return typeof command === 'string' ? [...SHELL, command] : [...command];
}

/** A command as people wrote it, for display: the shell string, or the vector as JSON. */
export function describeCommand(argv: readonly string[]): string | null {
  if (argv.length === 0) return null;
  if (argv.length === 3 && argv[0] === SHELL[0] && argv[1] === SHELL[1]) return argv[2]!;
  return JSON.stringify(argv);
}
