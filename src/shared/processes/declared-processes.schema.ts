import { z } from 'zod';
import { commandInput } from '../deployments/commands';
import { MAX_PROCESSES, processName, replicaCount, WEB } from './process.schema';

/**
 * The processes a project file declares (`.rise.toml` `[processes]` or a Procfile), as `rise d c`
 * sends them to `project.setProcesses`. Absent settings: a process's replicas are kept when it exists
 * (a `rise scale` is not undone by the next deploy) and 1 when it is new; web's settings are kept.
 */

const cpuLimit = z.number().positive().max(64);
const memoryLimitMb = z.number().int().min(16, { message: 'expected at least 16 MB of memory' });

export const declaredProcess = z
  .object({
    command: commandInput,
    replicas: replicaCount.optional(),
    cpuLimit: cpuLimit.optional(),
    memoryLimitMb: memoryLimitMb.optional(),
  })
  .strict();
export type DeclaredProcess = z.infer<typeof declaredProcess>;

/** Web: the project's start command, replicas and limits, each only when given. */
export const declaredWeb = declaredProcess.extend({ command: commandInput.optional() }).strict();
export type DeclaredWeb = z.infer<typeof declaredWeb>;

export const declaredProcesses = z.object({
  web: declaredWeb.default({}),
  /** Every process besides web: the project's processes become exactly these. */
  processes: z
    .record(processName, declaredProcess)
    .refine((processes) => !(WEB in processes), {
      message: '`web` is the project itself: give its command as `web`, not among the processes',
    })
    .refine((processes) => Object.keys(processes).length <= MAX_PROCESSES, {
      message: `expected at most ${MAX_PROCESSES} processes besides web`,
    }),
  /** A Procfile's `release:` line: the release command. */
  release: commandInput.optional(),
});
export type DeclaredProcesses = z.input<typeof declaredProcesses>;
export type DeclaredProcessesOutput = z.output<typeof declaredProcesses>;
