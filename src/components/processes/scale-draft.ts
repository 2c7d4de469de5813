import type { ProjectProcessesView } from '@/server/domains/processes/process.schema';
import { replicaCount } from '@/shared/processes/process.schema';

type Process = ProjectProcessesView['processes'][number];

/** The replica counts as typed, by process. */
export type ScaleDraft = Record<string, string>;

export const draftOf = (processes: readonly Process[]): ScaleDraft =>
  Object.fromEntries(processes.map((process) => [process.name, String(process.replicas)]));

/**
 * What Apply sends (`project.scale`'s counts): the processes whose typed count differs from their
 * desired one; and each typed count the API would refuse, with why.
 */
export function scaleChanges(processes: readonly Process[], draft: ScaleDraft) {
  const counts: Record<string, number> = {};
  const errors: Record<string, string> = {};
  for (const process of processes) {
    const typed = (draft[process.name] ?? String(process.replicas)).trim();
    const parsed = replicaCount.safeParse(typed === '' ? Number.NaN : Number(typed));
    if (!parsed.success) {
      errors[process.name] = parsed.error.issues[0]?.message ?? 'expected a number of replicas';
      continue;
    }
    if (parsed.data !== process.replicas) counts[process.name] = parsed.data;
  }
  return { counts, errors };
}

const RUNNING = 'running';

/** Whether a process runs as many instances as it should, and only running ones. */
export const isSettled = (process: Process) =>
  process.instances.length === process.replicas &&
  process.instances.every((instance) => instance.state === RUNNING);

/** "2 of 3 running": how far a process is from its desired replicas. */
export function runningSummary(process: Process): string {
  const running = process.instances.filter((instance) => instance.state === RUNNING).length;
  return `${running} of ${process.replicas} running`;
}
