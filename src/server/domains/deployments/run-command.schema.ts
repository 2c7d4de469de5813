import { z } from 'zod';
import { projectName } from '@/server/domains/projects/project.schema';

/** `rise run PROJECT -- CMD…`: the argument vector, run without a shell (`sh -c '…'` for one). */
export const runCommandInput = z.object({
  project: projectName,
  command: z
    .array(z.string().min(1, { message: 'expected a non-empty argument' }).max(4096), {
      message: 'expected the command as a list of arguments',
    })
    .min(1, { message: 'expected a command to run, e.g. rise run my-app -- sh -c "ls /app"' })
    .max(256, { message: 'expected at most 256 arguments' }),
});

/** What `project.run` streams: which deployment, the command's output, then how it ended. */
export const runCommandEntry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), deployment: z.string() }),
  z.object({
    type: z.literal('output'),
    stream: z.enum(['stdout', 'stderr']),
    line: z.string(),
  }),
  z.object({
    type: z.literal('exit'),
    /** The command's exit code; null when it was stopped (timeout) or could not run. */
    exitCode: z.number().int().nullable(),
    /** Why there is no exit code. */
    error: z.string().nullable(),
    durationMs: z.number().int(),
  }),
]);
export type RunCommandEntry = z.infer<typeof runCommandEntry>;
