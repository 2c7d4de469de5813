import { randomBytes } from 'node:crypto';
import { env } from '@/env';
import type { Caller } from '@/server/auth/caller';
import { getDb, isUniqueViolation } from '@/server/db';
import { AppError, conflict, notFound } from '@/server/errors';
import { reconcileJob } from '@/server/jobs/definitions/reconcile.job';
import { enqueue } from '@/server/jobs/enqueue';
import { recordAudit } from '../audit/audit.service';
import { domainRepo } from './domain.repo';

type Project = { id: string; name: string; ownerTeamId: string | null };

const toView = (row: { hostname: string; verifiedAt: Date | null; createdAt: Date }) => ({
  hostname: row.hostname,
  verified: row.verifiedAt !== null,
  tls: env.RISE_TLS_MODE,
  createdAt: row.createdAt,
});

export async function listDomains(project: Project) {
  return (await domainRepo.listForProject(project.id)).map(toView);
}

/**
 * Routes `hostname` to the project as well (the proxy picks it up at once through a reconcile); point
 * its DNS at Rise, and on-demand TLS obtains its certificate on the first HTTPS request.
 */
export async function addDomain(caller: Caller, project: Project, hostname: string) {
  if (hostname === env.RISE_BASE_DOMAIN || hostname.endsWith(`.${env.RISE_BASE_DOMAIN}`)) {
    throw new AppError(
      'BAD_REQUEST',
      `${hostname} is under Rise's own domain ${env.RISE_BASE_DOMAIN}; projects already get <name>.${env.RISE_BASE_DOMAIN}.`,
    );
  }
  try {
    await getDb().$transaction(async (tx) => {
      await domainRepo.create(
        {
          projectId: project.id,
          hostname,
          verifiedAt: new Date(),
          verificationToken: randomBytes(24).toString('base64url'),
        },
        tx,
      );
      await enqueue(tx, reconcileJob, {});
      await recordAudit(
        caller,
        {
          action: 'domain.add',
          targetType: 'domain',
          targetName: hostname,
          projectId: project.id,
          teamId: project.ownerTeamId,
        },
        tx,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`${hostname} is already used by a project.`);
    throw error;
  }
  return listDomains(project);
}

export async function removeDomain(caller: Caller, project: Project, hostname: string) {
  await getDb().$transaction(async (tx) => {
    if ((await domainRepo.delete(project.id, hostname, tx)) === 0) {
      throw notFound(
        `${hostname} is not a domain of '${project.name}'. List them: rise domain ls --project ${project.name}`,
      );
    }
    await enqueue(tx, reconcileJob, {});
    await recordAudit(
      caller,
      {
        action: 'domain.remove',
        targetType: 'domain',
        targetName: hostname,
        projectId: project.id,
        teamId: project.ownerTeamId,
      },
      tx,
    );
  });
  return listDomains(project);
}
