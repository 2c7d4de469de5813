import type { Caller } from '@/server/domains/access/caller';
import { projectAuditTarget, recordAudit } from '@/server/domains/audit/audit.service';
import { badRequest, preconditionFailed } from '@/server/errors';
import { projectScaleJob } from '@/server/jobs/definitions/project-scale.job';
import { enqueue } from '@/server/jobs/enqueue';
import { type InstanceStatus, processOf, type Runtime, replicaOf } from '@/server/runtime/types';
import { inTransaction } from '@/server/transaction';
import { commandArgv, describeCommand } from '@/shared/deployments/commands';
import type { DeclaredProcessesOutput } from '@/shared/processes/declared-processes.schema';
import {
  type ProjectProcesses,
  projectProcesses,
  readProcesses,
  type ScaleInput,
  WEB,
} from '@/shared/processes/process.schema';
import { processRepo } from './process.repo';

type Project = { id: string; name: string; ownerTeamId: string | null };
type ProjectWithDeployment = Project & {
  activeDeploymentId: string | null;
  replicas: number;
  startCommand: string[];
  cpuLimit: number | null;
  memoryLimitMb: number | null;
  processes: unknown;
};

/**
 * Makes `project`'s processes exactly those its files declare (`.rise.toml` `[processes]` or a
 * Procfile, sent by `rise d c` before it deploys): web's command, replicas and limits where given, the
 * other processes as declared (a process's replicas are kept where the file gives none, so a deploy
 * does not undo `rise scale`), processes no longer declared removed. They take effect with the next
 * deployment. Audited.
 */
export async function setProjectProcesses(
  caller: Caller,
  project: Project,
  declared: DeclaredProcessesOutput,
) {
  return inTransaction(async (tx) => {
    const current = await processRepo.lockForUpdate(project.id, tx);
    const before = readProcesses(current.processes);
    const processes: ProjectProcesses = projectProcesses.parse(
      Object.fromEntries(
        Object.entries(declared.processes).map(([name, process]) => [
          name,
          {
            command: commandArgv(process.command),
            replicas: process.replicas ?? before[name]?.replicas ?? 1,
            cpuLimit: process.cpuLimit ?? null,
            memoryLimitMb: process.memoryLimitMb ?? null,
          },
        ]),
      ),
    );
    const { web } = declared;
    const updated = await processRepo.update(
      project.id,
      {
        processes,
        ...(web.command !== undefined ? { startCommand: commandArgv(web.command) } : {}),
        ...(web.replicas !== undefined ? { replicas: web.replicas } : {}),
        ...(web.cpuLimit !== undefined ? { cpuLimit: web.cpuLimit } : {}),
        ...(web.memoryLimitMb !== undefined ? { memoryLimitMb: web.memoryLimitMb } : {}),
        ...(declared.release !== undefined ? { releaseCommand: commandArgv(declared.release) } : {}),
      },
      tx,
    );
    const removed = Object.keys(before).filter((name) => !(name in processes));
    await recordAudit(
      caller,
      {
        action: 'project.processes.set',
        ...projectAuditTarget(project),
        details: {
          processes: Object.keys(processes),
          removed,
          web: Object.keys(web).filter((key) => web[key as keyof typeof web] !== undefined),
          release: declared.release !== undefined,
        },
      },
      tx,
    );
    return {
      processes: [
        { name: WEB, command: describeCommand(updated.startCommand), replicas: updated.replicas },
        ...Object.entries(processes).map(([name, process]) => ({
          name,
          command: describeCommand(process.command),
          replicas: process.replicas,
        })),
      ],
      removed,
    };
  });
}

export type ProcessInstance = {
  replica: number;
  state: string;
  startedAt: string | null;
  exitCode: number | null;
};

const instanceView = (status: InstanceStatus): ProcessInstance => ({
  replica: replicaOf(status),
  state: status.state,
  startedAt: status.startedAt ? status.startedAt.toISOString() : null,
  exitCode: status.exitCode,
});

/** The instances of the project's active deployment, as the runtime tells them, by process. */
async function activeInstances(runtime: Runtime, project: ProjectWithDeployment) {
  const byProcess = new Map<string, ProcessInstance[]>();
  if (!project.activeDeploymentId) return byProcess;
  let statuses: InstanceStatus[];
  try {
    statuses = await runtime.list({ project: project.name });
  } catch (error) {
    throw preconditionFailed(
      `Could not list the instances of '${project.name}' from the ${runtime.name} runtime: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  for (const status of statuses) {
    if (status.deploymentId !== project.activeDeploymentId) continue;
    const name = processOf(status);
    byProcess.set(name, [...(byProcess.get(name) ?? []), instanceView(status)]);
  }
  for (const instances of byProcess.values()) instances.sort((a, b) => a.replica - b.replica);
  return byProcess;
}

/**
 * The project's processes, web first, each with its desired replicas and limits and the instances
 * of the active deployment that run it. A process still running but no longer declared (until its
 * instances go) is listed with 0 replicas and no command.
 */
export async function listProjectProcesses(runtime: Runtime, project: ProjectWithDeployment) {
  const instances = await activeInstances(runtime, project);
  const processes = readProcesses(project.processes);
  const listed = [
    {
      name: WEB,
      command: describeCommand(project.startCommand),
      replicas: project.replicas,
      cpuLimit: project.cpuLimit,
      memoryLimitMb: project.memoryLimitMb,
      instances: instances.get(WEB) ?? [],
    },
    ...Object.entries(processes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, process]) => ({
        name,
        command: describeCommand(process.command),
        replicas: process.replicas,
        cpuLimit: process.cpuLimit,
        memoryLimitMb: process.memoryLimitMb,
        instances: instances.get(name) ?? [],
      })),
  ];
  const declared = new Set(listed.map((process) => process.name));
  for (const [name, running] of [...instances].sort(([a], [b]) => a.localeCompare(b))) {
    if (declared.has(name)) continue;
    listed.push({
      name,
      command: null,
      replicas: 0,
      cpuLimit: null,
      memoryLimitMb: null,
      instances: running,
    });
  }
  return { processes: listed };
}

/**
 * Sets the replica counts of some of `project`'s processes (`rise scale web=3 worker=1`), in one
 * transaction with the job that applies them to a running project without a redeploy. Audited.
 */
export async function scaleProcesses(caller: Caller, project: Project, counts: ScaleInput) {
  return inTransaction(async (tx) => {
    const current = await processRepo.lockForUpdate(project.id, tx);
    const processes = readProcesses(current.processes);
    const known = [WEB, ...Object.keys(processes).sort()];
    const unknown = Object.keys(counts).filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw badRequest(
        `'${project.name}' has no process ${unknown.map((name) => `"${name}"`).join(', ')}; its processes: ${known.join(', ')}. Declare processes in .rise.toml [processes] or a Procfile, then rise d c.`,
        { unknown, known },
      );
    }
    const changes = Object.entries(counts).map(([name, replicas]) => ({
      name,
      from: name === WEB ? current.replicas : processes[name]!.replicas,
      to: replicas,
    }));
    const next: ProjectProcesses = { ...processes };
    for (const { name, to } of changes) if (name !== WEB) next[name] = { ...processes[name]!, replicas: to };
    await processRepo.update(
      project.id,
      { processes: next, ...(WEB in counts ? { replicas: counts[WEB] } : {}) },
      tx,
    );
    const applying = current.desiredState === 'running' && current.activeDeploymentId !== null;
    if (applying) await enqueue(tx, projectScaleJob, { projectId: project.id });
    await recordAudit(
      caller,
      {
        action: 'project.scale',
        ...projectAuditTarget(project),
        details: { changes, applying },
      },
      tx,
    );
    return { processes: changes, applying };
  });
}
