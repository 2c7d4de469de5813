import { z } from 'zod';
import { MAX_REPLICAS, processName } from '@/shared/processes/process.schema';
import { projectName } from '../projects/project.schema';

/** A command line to run in an instance: the program and its arguments, as given (no shell). */
export const execCommand = z
  .array(z.string().max(4096, 'an argument is longer than 4096 characters'))
  .min(1, 'name a command to run, e.g. rise exec my-app -- sh')
  .max(256, 'at most 256 arguments')
  .refine((cmd) => cmd.length === 0 || cmd[0] !== '', 'the command is empty');

export const terminalSize = z.coerce.number().int().min(1).max(1000);

/** What `rise exec` and the dashboard's terminal ask for (the query string of the WebSocket request). */
export const execRequest = z.object({
  project: projectName,
  /** A deployment of the project other than its active one (a preview); default: the active one. */
  deployment: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, 'not a deployment id')
    .optional(),
  /** Which process's instance (default: web) and which replica of it (default: 0), as `rise ps` shows. */
  process: processName.optional(),
  replica: z.coerce
    .number()
    .int({ message: 'expected a replica number, as rise ps shows it' })
    .min(0, { message: 'expected a replica number from 0' })
    .max(MAX_REPLICAS - 1, { message: `expected a replica number below ${MAX_REPLICAS}` })
    .optional(),
  cmd: execCommand,
  tty: z.boolean().default(false),
  cols: terminalSize.optional(),
  rows: terminalSize.optional(),
});
export type ExecRequest = z.infer<typeof execRequest>;

/** Control messages a client sends as text frames (its input goes as binary frames). */
export const execClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('resize'), cols: terminalSize, rows: terminalSize }),
  z.object({ type: z.literal('eof') }),
]);
export type ExecClientMessage = z.infer<typeof execClientMessage>;

/** Control messages the server sends as text frames (output goes as binary frames, see exec-frames). */
export type ExecServerMessage =
  | { type: 'started'; deployment: string }
  | { type: 'exit'; code: number }
  | { type: 'error'; message: string };
