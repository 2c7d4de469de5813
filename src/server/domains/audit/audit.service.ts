import type { Tx } from '@/server/db';
import { type Caller, callerLabel } from '@/server/domains/access/caller';
import { type AuditEventInput, auditRepo } from './audit.repo';

type AuditTarget = Omit<AuditEventInput, 'actorType' | 'actorId' | 'actorLabel'>;

function actorOf(caller: Caller | null) {
  if (!caller) return { actorType: 'system', actorId: null, actorLabel: 'system' };
  if (caller.kind === 'user')
    return { actorType: 'user', actorId: caller.user.id, actorLabel: callerLabel(caller) };
  return { actorType: 'service-account', actorId: caller.serviceAccount.id, actorLabel: callerLabel(caller) };
}

/** Records one mutating action; pass the transaction that made the change so both commit together. */
export function recordAudit(caller: Caller | null, target: AuditTarget, tx?: Tx) {
  return auditRepo.insert({ ...actorOf(caller), ...target }, tx);
}

/** The target of an action on a project: the project itself, with its team so the team's log shows it. */
export function projectAuditTarget(project: { id: string; name: string; ownerTeamId: string | null }) {
  return {
    targetType: 'project',
    targetId: project.id,
    targetName: project.name,
    projectId: project.id,
    teamId: project.ownerTeamId,
  };
}
