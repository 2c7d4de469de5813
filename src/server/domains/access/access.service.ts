import type { Caller } from '@/server/domains/access/caller';
import {
  canOnProject,
  canOnTeam,
  PROJECT_ACTIONS,
  type ProjectAction,
  type Role,
  TEAM_ACTIONS,
  type TeamAction,
} from '@/server/domains/access/permissions';
import { AppError, notFound } from '@/server/errors';
import { type ProjectRecord, projectRepo } from '../projects/project.repo';
import { teamRepo } from '../teams/team.repo';

type ProjectOwnership = { id: string; ownerUserId: string | null; ownerTeamId: string | null };

/** The caller's role on a project, or null when the caller may not see it at all. */
export async function projectRoleOf(caller: Caller | null, project: ProjectOwnership): Promise<Role | null> {
  if (!caller) return null;
  if (caller.kind === 'service-account') {
    return caller.serviceAccount.projectId === project.id ? caller.serviceAccount.role : null;
  }
  if (caller.user.isPlatformAdmin) return 'owner';
  if (project.ownerUserId === caller.user.id) return 'owner';
  if (project.ownerTeamId) {
    const membership = await teamRepo.membership(project.ownerTeamId, caller.user.id);
    return membership?.role ?? null;
  }
  return null;
}

export async function teamRoleOf(caller: Caller | null, teamId: string): Promise<Role | null> {
  if (caller?.kind !== 'user') return null;
  if (caller.user.isPlatformAdmin) return 'owner';
  return (await teamRepo.membership(teamId, caller.user.id))?.role ?? null;
}

function denied(kind: 'project' | 'team', name: string, role: Role, required: Role): AppError {
  return new AppError(
    'FORBIDDEN',
    `Your role on ${kind} '${name}' is ${role}; this needs ${required} or higher. Ask an admin of the ${kind} for access.`,
    { role, required },
  );
}

/** Loads a project by name and checks the caller may perform `action`; unseen projects are NOT_FOUND. */
export async function authorizeProject(
  caller: Caller | null,
  name: string,
  action: ProjectAction,
): Promise<{ project: ProjectRecord; role: Role }> {
  const project = await projectRepo.findByName(name);
  const role = project ? await projectRoleOf(caller, project) : null;
  if (!project || !role) throw notFound(`Project '${name}' not found.`);
  if (!canOnProject(role, action)) throw denied('project', name, role, PROJECT_ACTIONS[action]);
  return { project, role };
}

export async function authorizeTeam(caller: Caller | null, name: string, action: TeamAction) {
  const team = await teamRepo.findByName(name);
  const role = team ? await teamRoleOf(caller, team.id) : null;
  if (!team || !role) throw notFound(`Team '${name}' not found.`);
  if (!canOnTeam(role, action)) throw denied('team', name, role, TEAM_ACTIONS[action]);
  return { team, role };
}
