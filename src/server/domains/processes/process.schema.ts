import { z } from 'zod';
import { declaredProcesses } from '@/shared/processes/declared-processes.schema';
import { scaleInput } from '@/shared/processes/process.schema';

export const setProcessesInput = declaredProcesses;

export const setProcessesOutput = z.object({
  processes: z.array(z.object({ name: z.string(), command: z.string().nullable(), replicas: z.number() })),
  removed: z.array(z.string()),
});

export const processInstanceView = z.object({
  replica: z.number(),
  state: z.string(),
  startedAt: z.string().nullable(),
  exitCode: z.number().nullable(),
});

export const projectProcessesView = z.object({
  processes: z.array(
    z.object({
      name: z.string(),
      command: z.string().nullable(),
      replicas: z.number(),
      cpuLimit: z.number().nullable(),
      memoryLimitMb: z.number().nullable(),
      instances: z.array(processInstanceView),
    }),
  ),
});
export type ProjectProcessesView = z.infer<typeof projectProcessesView>;

export const scaleProcessesInput = z.object({ counts: scaleInput });

export const scaleProcessesOutput = z.object({
  processes: z.array(z.object({ name: z.string(), from: z.number(), to: z.number() })),
  /** The project runs: the new counts are being applied without a redeploy. */
  applying: z.boolean(),
});
