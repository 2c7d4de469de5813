import type { z } from 'zod';
import { env } from '@/env';
import type { Tx } from '@/server/db';
import type { Caller } from '@/server/domains/access/caller';
import { AppError, notFound } from '@/server/errors';
import { expireJob } from '@/server/jobs/definitions/expire.job';
import { stopJob } from '@/server/jobs/definitions/stop.job';
import { enqueue } from '@/server/jobs/enqueue';
import { inTransaction, isUniqueViolation } from '@/server/transaction';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { recordAudit } from '../audit/audit.service';
import { platformHostsFromEnv } from '../custom-domains/reserved-hostnames';
import type { ProjectRecord } from '../projects/project.repo';
import { groupHostOf, hostUrl } from '../projects/project-url';
import { creatorLabel } from './creator-label';
import { deploymentRepo } from './deployment.repo';
import type { DeploymentGroupView, extendDeploymentInput } from './deployment.schema';
import { deploymentGroupRepo } from './deployment-group.repo';
import { IN_PROGRESS, LIVE } from './state-machine';

type Project = Pick<ProjectRecord, 'id' | 'name' | 'ownerTeamId' | 'activeDeploymentId'>;

/**
 * Makes sure a non-default group exists before its first deployment is written (same transaction):
 * within RISE_MAX_GROUPS_PER_PROJECT, at a host no project, custom domain or other group answers at.
 */
export async function ensureGroup(
  tx: Tx,
  project: Pick<Project, 'id' | 'name'>,
  group: string,
): Promise<void> {
  if (group === DEFAULT_GROUP || (await deploymentGroupRepo.find(project.id, group, tx))) return;
  const max = env.RISE_MAX_GROUPS_PER_PROJECT;
  if ((await deploymentGroupRepo.count(project.id, tx)) >= max) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Project '${project.name}' already has ${max} deployment groups (RISE_MAX_GROUPS_PER_PROJECT). Stop one first: \`rise d stop ${project.name} -g <group>\`.`,
    );
  }
  const host = groupHostOf(project.name, group);
  const platform = platformHostsFromEnv();
  if (
    host === platform.riseHost ||
    host === platform.registryHost ||
    (await deploymentGroupRepo.hostTakenByProject(host, env.RISE_BASE_DOMAIN, tx))
  ) {
    throw hostTaken(project.name, group, host);
  }
  try {
    await deploymentGroupRepo.create({ projectId: project.id, name: group, host }, tx);
  } catch (error) {
    if (isUniqueViolation(error)) throw hostTaken(project.name, group, host);
    throw error;
  }
}

const hostTaken = (project: string, group: string, host: string) =>
  new AppError(
    'CONFLICT',
    `Group '${group}' of '${project}' would answer at ${host}, which another project or group already serves. Pick another group name.`,
  );

/** Asks the worker to stop a preview group: its route goes, its instances stop, the group is removed. */
export async function stopGroupRequest(caller: Caller, project: Project, group: string) {
  if (group === DEFAULT_GROUP) {
    throw new AppError(
      'BAD_REQUEST',
      `The default group is the project itself: stop it with \`rise d stop ${project.name}\`.`,
    );
  }
  if (!(await stopGroup(caller, project, group, { why: `group ${group} was stopped` }))) {
    throw notFound(
      `Project '${project.name}' has no group '${group}'. List them with \`rise d ls ${project.name} --all-groups\`.`,
    );
  }
  return { project: project.name, group, stopped: true };
}

/**
 * Stops a preview group: its queued and running deployments are cancelled, the worker's stop job takes
 * its route and instances and removes it. `caller` null: the system (a forge's webhook). False when the
 * project has no such group (already stopped, or never deployed).
 */
export async function stopGroup(
  caller: Caller | null,
  project: Pick<Project, 'id' | 'name' | 'ownerTeamId'>,
  group: string,
  options: { why: string; details?: Record<string, string> },
): Promise<boolean> {
  if (!(await deploymentGroupRepo.find(project.id, group))) return false;
  await inTransaction(async (tx) => {
    // Nothing of the group may start after this: queued and running deployments are cancelled.
    for (const deployment of await deploymentRepo.listInGroup(project.id, group, IN_PROGRESS, tx)) {
      const queued = deployment.status === 'pending' || deployment.status === 'pushed';
      await deploymentRepo.transition(
        deployment.id,
        deployment.status,
        queued ? 'cancelled' : 'cancelling',
        queued ? { terminationReason: 'cancelled' } : {},
        tx,
      );
      await deploymentRepo.addEvent(deployment.id, `Cancelled: ${options.why}`, 'warn', tx);
    }
    await enqueue(tx, stopJob, { projectId: project.id, group });
    await recordAudit(
      caller,
      {
        action: 'deployment.group.stop',
        targetType: 'project',
        targetId: project.id,
        targetName: project.name,
        projectId: project.id,
        teamId: project.ownerTeamId,
        details: { group, ...options.details },
      },
      tx,
    );
  });
  return true;
}

/** Sets a new expiry (from now) on a deployment, or on a group's active one. */
export async function extendDeployment(
  caller: Caller,
  project: Project,
  input: z.output<typeof extendDeploymentInput>,
) {
  const id = input.deployment ?? (await activeOfGroup(project, input.group ?? DEFAULT_GROUP));
  const deployment = await deploymentRepo.findInProject(project.id, id);
  if (!deployment) throw notFound(`Deployment '${id}' not found in project '${project.name}'.`);
  if (![...IN_PROGRESS, ...LIVE].includes(deployment.status)) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Deployment '${id}' is ${deployment.status}; only queued, running or live deployments can be extended.`,
    );
  }
  const expiresAt = new Date(Date.now() + input.expire);
  await inTransaction(async (tx) => {
    await deploymentRepo.setExpiry(id, expiresAt, tx);
    await enqueue(tx, expireJob, { deploymentId: id }, { startAfter: expiresAt });
    await deploymentRepo.addEvent(id, `Expiry set to ${expiresAt.toISOString()}`, 'info', tx);
    await recordAudit(
      caller,
      {
        action: 'deployment.extend',
        targetType: 'deployment',
        targetId: id,
        targetName: id,
        projectId: project.id,
        teamId: project.ownerTeamId,
        details: { expiresAt: expiresAt.toISOString() },
      },
      tx,
    );
  });
  return id;
}

async function activeOfGroup(project: Project, group: string): Promise<string> {
  const active =
    group === DEFAULT_GROUP
      ? project.activeDeploymentId
      : ((await deploymentGroupRepo.find(project.id, group))?.activeDeploymentId ?? null);
  if (!active) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Group '${group}' of '${project.name}' has no active deployment; name one: \`rise d extend ${project.name} <deployment> --expire 7d\`.`,
    );
  }
  return active;
}

/** The project's preview groups, newest first, with their URL, status and expiry. */
export async function listDeploymentGroups(
  project: Pick<Project, 'id' | 'name'>,
): Promise<DeploymentGroupView[]> {
  const groups = await deploymentGroupRepo.listWithDeployments(project.id);
  return groups.flatMap((group) => {
    const shown = group.activeDeployment ?? group.latest;
    if (!shown) return [];
    return [
      {
        group: group.name,
        url: hostUrl(group.host),
        activeDeployment: group.activeDeployment?.id ?? null,
        status: shown.status,
        expiresAt: shown.expiresAt,
        createdBy: creatorLabel(shown),
        createdAt: group.createdAt,
      },
    ];
  });
}
