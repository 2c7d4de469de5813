import { z } from 'zod';

/**
 * A project's processes beyond `web` (a worker, a queue consumer): each runs the deployment's image
 * with its own command, replicas and limits, without a route. `web` itself is the project's
 * `replicas`, `startCommand`, `cpuLimit` and `memoryLimitMb`.
 */

export const WEB = 'web';
export const MAX_REPLICAS = 20;
export const MAX_PROCESSES = 10;

/** A process name: a DNS label short enough for container and Kubernetes names. */
export const processName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,19}$/, {
    message:
      'expected a process name of lowercase letters, digits and dashes, starting with a letter (at most 20)',
  })
  .refine((name) => !name.endsWith('-'), { message: 'a process name cannot end with a dash' });

export const replicaCount = z
  .number()
  .int({ message: 'expected a whole number of replicas' })
  .min(0, { message: 'expected 0 or more replicas' })
  .max(MAX_REPLICAS, { message: `expected at most ${MAX_REPLICAS} replicas` });

/** How a non-web process runs: stored on the project as the argument vector. */
export const processSettings = z.object({
  command: z.array(z.string()).min(1, { message: 'a process needs a command' }),
  replicas: replicaCount,
  cpuLimit: z.number().positive().max(64).nullable(),
  memoryLimitMb: z.number().int().min(16).nullable(),
});
export type ProcessSettings = z.infer<typeof processSettings>;

/** The project's `processes` column: name → settings, never `web`. */
export const projectProcesses = z
  .record(processName, processSettings)
  .refine((processes) => !(WEB in processes), { message: '`web` is the project itself, not a process entry' })
  .refine((processes) => Object.keys(processes).length <= MAX_PROCESSES, {
    message: `expected at most ${MAX_PROCESSES} processes besides web`,
  });
export type ProjectProcesses = z.infer<typeof projectProcesses>;

/** Reads the stored column; anything unreadable counts as no processes rather than failing a deploy. */
export function readProcesses(value: unknown): ProjectProcesses {
  const parsed = projectProcesses.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}

/** `rise scale web=3 worker=1`: each argument parsed, with a message naming the bad one. */
export const scaleArgument = z.string().transform((value, context) => {
  const match = /^([^=]+)=(\d+)$/.exec(value.trim());
  if (!match) {
    context.addIssue({ code: 'custom', message: `expected PROCESS=COUNT (e.g. web=3), got "${value}"` });
    return z.NEVER;
  }
  const name = processName.safeParse(match[1]);
  if (!name.success) {
    context.addIssue({ code: 'custom', message: `"${match[1]}": ${name.error.issues[0]?.message}` });
    return z.NEVER;
  }
  const count = replicaCount.safeParse(Number(match[2]));
  if (!count.success) {
    context.addIssue({ code: 'custom', message: `${match[1]}: ${count.error.issues[0]?.message}` });
    return z.NEVER;
  }
  return { process: name.data, replicas: count.data };
});

/** What `project.scale` takes: new replica counts by process name (`web` included). */
export const scaleInput = z
  .record(processName, replicaCount)
  .refine((counts) => Object.keys(counts).length > 0, { message: 'name at least one process to scale' });
export type ScaleInput = z.infer<typeof scaleInput>;
