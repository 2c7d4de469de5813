import type { z } from 'zod';
import { env } from '@/env';
import type { Caller, UserCaller } from '@/server/domains/access/caller';
import type { Role } from '@/server/domains/access/permissions';
import { roleAtLeast } from '@/server/domains/access/permissions';
import { AppError, conflict, forbidden } from '@/server/errors';
import { projectDeleteJob } from '@/server/jobs/definitions/project-delete.job';
import { projectScaleJob } from '@/server/jobs/definitions/project-scale.job';
import { reconcileJob } from '@/server/jobs/definitions/reconcile.job';
import { enqueue } from '@/server/jobs/enqueue';
import { inTransaction, isUniqueViolation } from '@/server/transaction';
import { projectRoleOf } from '../access/access.service';
import { projectAuditTarget, recordAudit } from '../audit/audit.service';
import { removeProjectDatabases } from '../databases/database.service';
import { deploymentGroupRepo } from '../deployments/deployment-group.repo';
import { LIVE } from '../deployments/state-machine';
import { closestMatch, didYouMean } from '../suggest';
import { teamRepo } from '../teams/team.repo';
import { userRepo } from '../users/user.repo';
import { type ProjectListRow, type ProjectListScope, type ProjectRecord, projectRepo } from './project.repo';
import type {
  createProjectInput,
  listProjectsInput,
  ProjectDetail,
  ProjectSummary,
  updateProjectInput,
} from './project.schema';
import { deriveProjectStatus } from './project-status';
import { projectUrl } from './project-url';

type Owner = { kind: 'user' | 'team'; name: string };

export function ownerLabel(project: ProjectRecord): string {
  return project.ownerTeam ? `team:${project.ownerTeam.name}` : `user:${project.ownerUser?.username}`;
}

export function toSummary(project: ProjectRecord, role: Role): ProjectSummary {
  const latest = project.deployments[0] ?? null;
  return {
    name: project.name,
    status: deriveProjectStatus({
      desiredState: project.desiredState,
      activeDeploymentStatus: project.activeDeployment?.status ?? null,
      latestDeploymentStatus: latest?.status ?? null,
    }),
    url: projectUrl(project.name),
    visibility: project.visibility,
    owner: ownerLabel(project),
    role,
    activeDeploymentId: project.activeDeploymentId,
    lastDeployment: latest,
    previews: project.deploymentGroups.filter(
      (group) => group.activeDeployment && LIVE.includes(group.activeDeployment.status),
    ).length,
    createdAt: project.createdAt,
  };
}

export function toDetail(project: ProjectRecord, role: Role): ProjectDetail {
  return {
    ...toSummary(project, role),
    desiredState: project.desiredState,
    runtime: project.runtime,
    buildBackend: project.buildBackend,
    dockerfile: project.dockerfile,
    buildContext: project.buildContext,
    builder: project.builder,
    port: project.port,
    healthPath: project.healthPath,
    replicas: project.replicas,
    cpuLimit: project.cpuLimit,
    memoryLimitMb: project.memoryLimitMb,
    startCommand: project.startCommand,
    releaseCommand: project.releaseCommand,
    postDeployCommand: project.postDeployCommand,
    updatedAt: project.updatedAt,
  };
}

/** Teams on which the user may create projects (developer or higher), by name. */
async function teamsUsableBy(caller: UserCaller): Promise<{ id: string; name: string }[]> {
  if (caller.user.isPlatformAdmin) return teamRepo.listAll();
  const memberships = await teamRepo.membershipsOf(caller.user.id);
  return memberships.filter((m) => roleAtLeast(m.role, 'developer')).map((m) => m.team);
}

/** Resolves an owner reference to ids, with a "Did you mean" hint over what the caller may use. */
async function resolveOwner(caller: UserCaller, owner: Owner) {
  if (owner.kind === 'team') {
    const usable = await teamsUsableBy(caller);
    const team = usable.find((candidate) => candidate.name === owner.name);
    if (!team) {
      const hint = didYouMean(
        closestMatch(
          owner.name,
          usable.map((candidate) => candidate.name),
        ),
      );
      throw new AppError(
        'NOT_FOUND',
        `Team '${owner.name}' does not exist or you do not have permission to create projects for it.${hint}`,
        {
          suggestion: closestMatch(
            owner.name,
            usable.map((candidate) => candidate.name),
          ),
        },
      );
    }
    return { ownerUserId: null, ownerTeamId: team.id };
  }
  if (owner.name === caller.user.username) return { ownerUserId: caller.user.id, ownerTeamId: null };
  const user = caller.user.isPlatformAdmin ? await userRepo.findByUsername(owner.name) : null;
  if (!user) {
    const hint = didYouMean(closestMatch(owner.name, [caller.user.username]));
    throw new AppError(
      'NOT_FOUND',
      `User '${owner.name}' does not exist or you do not have permission to create projects for them.${hint}`,
    );
  }
  return { ownerUserId: user.id, ownerTeamId: null };
}

export async function createProject(caller: UserCaller, input: z.output<typeof createProjectInput>) {
  const { name, visibility, owner, ...settings } = input;
  const ownerIds = await resolveOwner(caller, owner ?? { kind: 'user', name: caller.user.username });
  if (await projectRepo.nameTaken(name)) {
    throw conflict(`Project '${name}' already exists. Project names are global; choose another name.`);
  }
  if (await deploymentGroupRepo.hostTakenByGroup(`${name}.${env.RISE_BASE_DOMAIN}`)) {
    throw conflict(
      `A preview of another project already answers at ${name}.${env.RISE_BASE_DOMAIN}; choose another name.`,
    );
  }
  try {
    const project = await inTransaction(async (tx) => {
      const created = await projectRepo.create({ name, visibility, ...ownerIds, ...settings }, tx);
      await recordAudit(
        caller,
        {
          action: 'project.create',
          targetType: 'project',
          targetId: created.id,
          targetName: name,
          projectId: created.id,
          teamId: ownerIds.ownerTeamId,
          details: { visibility, owner: ownerLabel(created) },
        },
        tx,
      );
      return created;
    });
    return toDetail(project, 'owner');
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`Project '${name}' already exists.`);
    throw error;
  }
}

/** The lean row of a list page as the summary every client shows. */
function rowToSummary(row: ProjectListRow, role: Role): ProjectSummary {
  return {
    name: row.name,
    status: deriveProjectStatus({
      desiredState: row.desiredState,
      activeDeploymentStatus: row.activeStatus,
      latestDeploymentStatus: row.lastStatus,
    }),
    url: projectUrl(row.name),
    visibility: row.visibility,
    owner: row.ownerTeamName ? `team:${row.ownerTeamName}` : `user:${row.ownerUsername}`,
    role,
    activeDeploymentId: row.activeDeploymentId,
    lastDeployment:
      row.lastId && row.lastStatus && row.lastCreatedAt
        ? { id: row.lastId, status: row.lastStatus, createdAt: row.lastCreatedAt }
        : null,
    previews: row.previews,
    createdAt: row.createdAt,
  };
}

/** Which projects `caller` may list, and the role it has on each. */
async function listScopeOf(
  caller: Caller,
  options: { all?: boolean },
): Promise<{ scope: ProjectListScope; roleOf: (row: ProjectListRow) => Role }> {
  if (caller.kind === 'service-account') {
    return {
      scope: { projectIds: [caller.serviceAccount.projectId] },
      roleOf: () => caller.serviceAccount.role,
    };
  }
  if (options.all && caller.user.isPlatformAdmin) return { scope: 'all', roleOf: () => 'owner' };
  const memberships = await teamRepo.membershipsOf(caller.user.id);
  const roleByTeam = new Map(memberships.map((m) => [m.teamId, m.role]));
  return {
    scope: { userId: caller.user.id, teamIds: memberships.map((m) => m.teamId) },
    roleOf: (row) => (row.ownerTeamId ? (roleByTeam.get(row.ownerTeamId) ?? 'viewer') : 'owner'),
  };
}

/** A page of the projects the caller may see, in name order (see listProjectsInput). */
export async function listProjects(
  caller: Caller,
  input: Partial<z.output<typeof listProjectsInput>> = {},
): Promise<ProjectSummary[]> {
  const { scope, roleOf } = await listScopeOf(caller, input);
  let teamId: string | undefined;
  if (input.team) {
    const team = await teamRepo.findByName(input.team);
    // An unknown team owns nothing; saying so would tell outsiders which teams exist.
    if (!team) return [];
    teamId = team.id;
  }
  const rows = await projectRepo.listPage(
    { scope, teamId, search: input.search || undefined },
    { limit: input.limit ?? 100, cursor: input.cursor ?? undefined },
  );
  return rows.map((row) => rowToSummary(row, roleOf(row)));
}

/**
 * The current summaries of `projectIds` that `caller` may see: what a status-change subscription
 * sends. Ids of projects it may not see (or that were deleted) are left out.
 */
export async function summariesOf(caller: Caller, projectIds: string[], options: { all?: boolean } = {}) {
  if (projectIds.length === 0) return [];
  const { scope, roleOf } = await listScopeOf(caller, options);
  const rows = await projectRepo.listPage({ scope, ids: projectIds }, { limit: projectIds.length });
  return rows.map((row) => ({ id: row.id, summary: rowToSummary(row, roleOf(row)) }));
}

export async function updateProject(
  caller: Caller,
  current: { project: ProjectRecord; role: Role },
  input: z.output<typeof updateProjectInput>,
) {
  const { project: _name, owner, ...changes } = input;
  let ownerIds: { ownerUserId: string | null; ownerTeamId: string | null } | undefined;
  if (owner) {
    if (!roleAtLeast(current.role, 'owner') || caller.kind !== 'user') {
      throw forbidden(`Only an owner of '${current.project.name}' can transfer it.`);
    }
    ownerIds = await resolveOwner(caller, owner);
  }
  const updated = await inTransaction(async (tx) => {
    const result = await projectRepo.update(current.project.id, { ...changes, ...ownerIds }, tx);
    // Visibility (forward-auth) and the health path live in the proxy's route: refresh it now, since the
    // periodic reconcile would leave a project just made private open for up to a minute.
    if (changes.visibility !== undefined || changes.healthPath !== undefined) {
      await enqueue(tx, reconcileJob, {});
    }
    // Web's replicas apply to the running version at once, as `rise scale` does (no redeploy).
    if (changes.replicas !== undefined && changes.replicas !== current.project.replicas) {
      if (result.desiredState === 'running') await enqueue(tx, projectScaleJob, { projectId: result.id });
    }
    await recordAudit(
      caller,
      {
        action: owner ? 'project.transfer' : 'project.update',
        ...projectAuditTarget(result),
        details: { changes: Object.keys(changes), ...(owner ? { owner: ownerLabel(result) } : {}) },
      },
      tx,
    );
    return result;
  });
  const role = (await projectRoleOf(caller, updated)) ?? current.role;
  return toDetail(updated, role);
}

export async function deleteProject(caller: Caller, project: ProjectRecord) {
  await inTransaction(async (tx) => {
    await removeProjectDatabases(project.id, tx);
    await projectRepo.delete(project.id, tx);
    await enqueue(tx, projectDeleteJob, {
      projectId: project.id,
      projectName: project.name,
      runtime: project.runtime,
    });
    await recordAudit(
      caller,
      {
        action: 'project.delete',
        ...projectAuditTarget(project),
      },
      tx,
    );
  });
  return { name: project.name, deleted: true as const };
}
