import type { z } from 'zod';
import type { Caller } from '@/server/domains/access/caller';
import { AppError, conflict, notFound } from '@/server/errors';
import { inTransaction, isUniqueViolation } from '@/server/transaction';
import { recordAudit } from '../audit/audit.service';
import { mismatchedClaims, noMatchReason } from './claim-match';
import { serviceAccountRepo } from './service-account.repo';
import type { ClaimRules, createServiceAccountInput, serviceAccountView } from './service-account.schema';

type Project = { id: string; name: string; ownerTeamId: string | null };
type ServiceAccountRow = Awaited<ReturnType<typeof serviceAccountRepo.listForIssuer>>[number];

const toView = (row: ServiceAccountRow): z.infer<typeof serviceAccountView> => ({
  id: row.id,
  name: row.name,
  issuer: row.issuer,
  claims: row.claims as ClaimRules,
  role: row.role,
  createdAt: row.createdAt,
});

export async function listServiceAccounts(project: Project) {
  return (await serviceAccountRepo.listForProject(project.id)).map(toView);
}

/** One service account of the project, by id or by name. */
export async function getServiceAccount(project: Project, reference: string) {
  const row = await serviceAccountRepo.findInProject(project.id, reference);
  if (!row) throw notFound(`Service account '${reference}' not found on project '${project.name}'.`);
  return toView(row);
}

export async function createServiceAccount(
  caller: Caller,
  project: Project,
  input: z.output<typeof createServiceAccountInput>,
) {
  try {
    const row = await inTransaction(async (tx) => {
      const { name, issuer, claims, role } = input;
      const created = await serviceAccountRepo.create(
        { projectId: project.id, name, issuer, claims, role },
        tx,
      );
      await recordAudit(
        caller,
        {
          action: 'service-account.create',
          targetType: 'service-account',
          targetId: created.id,
          targetName: created.name,
          projectId: project.id,
          teamId: project.ownerTeamId,
          details: { issuer: input.issuer, claims: input.claims, role: input.role },
        },
        tx,
      );
      return created;
    });
    return toView(row);
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict(`Service account '${input.name}' already exists on '${project.name}'.`);
    throw error;
  }
}

export async function deleteServiceAccount(caller: Caller, project: Project, name: string) {
  await inTransaction(async (tx) => {
    if ((await serviceAccountRepo.delete(project.id, name, tx)) === 0) {
      throw notFound(`Service account '${name}' not found on project '${project.name}'.`);
    }
    await recordAudit(
      caller,
      {
        action: 'service-account.delete',
        targetType: 'service-account',
        targetName: name,
        projectId: project.id,
        teamId: project.ownerTeamId,
      },
      tx,
    );
  });
  return { name, deleted: true as const };
}

/**
 * The one service account whose every claim rule the verified JWT payload satisfies; none is an
 * UNAUTHORIZED error that names the claims in which the closest account differs.
 */
export async function matchServiceAccount(issuer: string, payload: Record<string, unknown>) {
  const candidates = await serviceAccountRepo.listForIssuer(issuer);
  const matches = candidates.filter(
    (account) => mismatchedClaims(account.claims as ClaimRules, payload).length === 0,
  );
  if (matches.length > 1) {
    throw new AppError(
      'CONFLICT',
      `The token matches ${matches.length} service accounts (${matches.map((m) => m.name).join(', ')}); make their claim rules more specific.`,
    );
  }
  const [match] = matches;
  if (!match)
    throw new AppError(
      'UNAUTHORIZED',
      noMatchReason(
        issuer,
        candidates.map((account) => account.claims as ClaimRules),
        payload,
      ),
    );
  return match;
}
