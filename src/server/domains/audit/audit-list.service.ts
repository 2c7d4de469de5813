import type { z } from 'zod';
import type { UserCaller } from '@/server/domains/access/caller';
import { authorizeProject, authorizeTeam } from '../access/access.service';
import { projectRepo } from '../projects/project.repo';
import { teamRepo } from '../teams/team.repo';
import { type AuditFilter, auditRepo } from './audit.repo';
import type { listAuditInput } from './audit.schema';

/** Audit events the caller may see: their own, and those of projects and teams they belong to. */
export async function listAuditEvents(caller: UserCaller, input: z.output<typeof listAuditInput>) {
  const filter: AuditFilter = { action: input.action };
  if (input.project)
    filter.projectIds = [(await authorizeProject(caller, input.project, 'project:read')).project.id];
  if (input.team) filter.teamIds = [(await authorizeTeam(caller, input.team, 'team:read')).team.id];
  if (!caller.user.isPlatformAdmin && !input.project && !input.team) {
    const teamIds = (await teamRepo.membershipsOf(caller.user.id)).map((m) => m.teamId);
    const projectIds = await projectRepo.listIdsOwnedBy({ userId: caller.user.id, teamIds });
    filter.visibleTo = { actorId: caller.user.id, projectIds, teamIds };
  }
  const rows = await auditRepo.list(filter, { limit: input.limit, cursor: input.cursor });
  const page = rows.slice(0, input.limit);
  return {
    events: page.map((row) => ({
      id: row.id,
      actor: row.actorLabel,
      action: row.action,
      targetType: row.targetType,
      targetName: row.targetName,
      details: row.details,
      createdAt: row.createdAt,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
