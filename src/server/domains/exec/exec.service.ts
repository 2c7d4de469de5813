import { preconditionFailed } from '@/server/errors';
import { type InstanceRef, processOf, type Runtime, replicaOf, WEB_PROCESS } from '@/server/runtime/types';
import { authorizeProject } from '../access/access.service';
import type { Caller } from '../access/caller';
import { projectAuditTarget, recordAudit } from '../audit/audit.service';
import { deploymentRepo } from '../deployments/deployment.repo';
import { LIVE } from '../deployments/state-machine';
import type { ExecRequest } from './exec.schema';

export type ExecDeps = { runtimeFor: (runtime: string) => Runtime; now?: () => number };

/** How the session was opened, for the audit log. */
export type ExecVia = 'cli' | 'terminal';

/**
 * Opens a command in a running instance of `request.project` for `caller`, who needs `project:exec`
 * (admins by default: a shell in an app reads its secrets). The session's start and its end (exit
 * code, duration) are audited.
 */
export async function openExecSession(
  caller: Caller | null,
  request: ExecRequest,
  via: ExecVia,
  deps: ExecDeps,
) {
  const { project } = await authorizeProject(caller, request.project, 'project:exec');
  const deploymentId = request.deployment ?? project.activeDeploymentId;
  const deployment = deploymentId ? await deploymentRepo.findById(deploymentId) : null;
  if (!deployment || deployment.projectId !== project.id) {
    throw preconditionFailed(
      request.deployment
        ? `Deployment '${request.deployment}' of '${project.name}' not found.`
        : `'${project.name}' has no running deployment to run a command in. Deploy it first.`,
    );
  }
  if (!LIVE.includes(deployment.status)) {
    throw preconditionFailed(
      `Deployment ${deployment.id} of '${project.name}' is ${deployment.status}, not running.`,
    );
  }
  const runtime = deps.runtimeFor(project.runtime);
  if (!runtime.exec) {
    throw preconditionFailed(
      `Running commands in '${project.name}' is not supported on ${runtime.name} yet.`,
    );
  }
  const instance =
    request.process === undefined && request.replica === undefined
      ? undefined
      : await existingInstance(runtime, project.name, deployment.id, {
          process: request.process ?? WEB_PROCESS,
          replica: request.replica ?? 0,
        });
  const session = await runtime.exec(project.name, deployment.id, {
    instance,
    cmd: request.cmd,
    tty: request.tty,
    cols: request.cols,
    rows: request.rows,
  });
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const command = request.cmd.join(' ').slice(0, 500);
  const target = projectAuditTarget(project);
  await recordAudit(caller, {
    ...target,
    action: 'project.exec',
    details: { deploymentId: deployment.id, command, tty: request.tty, via, ...instanceDetail(instance) },
  });
  const ended = session.exitCode.then((exitCode) =>
    recordAudit(caller, {
      ...target,
      action: 'project.exec.end',
      details: {
        deploymentId: deployment.id,
        command,
        via,
        ...instanceDetail(instance),
        exitCode,
        durationMs: now() - startedAt,
      },
    }).then(() => exitCode),
  );
  return { session, deploymentId: deployment.id, ended };
}

const instanceDetail = (instance: InstanceRef | undefined) =>
  instance ? { process: instance.process, replica: instance.replica } : {};

const describeInstance = (instance: { process?: string; replica?: number }) =>
  `${processOf(instance)} #${replicaOf(instance)}`;

/** `wanted`, when the deployment has that instance running; else a refusal naming those it has. */
async function existingInstance(
  runtime: Runtime,
  project: string,
  deploymentId: string,
  wanted: InstanceRef,
): Promise<InstanceRef> {
  const instances = (await runtime.list({ project })).filter(
    (status) => status.deploymentId === deploymentId,
  );
  const found = instances.find(
    (status) => processOf(status) === wanted.process && replicaOf(status) === wanted.replica,
  );
  if (found?.state === 'running') return wanted;
  const running = instances
    .filter((status) => status.state === 'running')
    .sort((a, b) => describeInstance(a).localeCompare(describeInstance(b)))
    .map(describeInstance);
  const what = found
    ? `Instance ${describeInstance(wanted)} of '${project}' is ${found.state}, not running.`
    : `'${project}' has no instance ${describeInstance(wanted)} in deployment ${deploymentId}.`;
  throw preconditionFailed(
    `${what} ${running.length > 0 ? `Running: ${running.join(', ')}` : 'None of its instances runs'} (see rise ps ${project}).`,
  );
}
