import type { z } from 'zod';
import type { Caller } from '@/server/domains/access/caller';
import { AppError, conflict, notFound } from '@/server/errors';
import { inTransaction, isUniqueViolation } from '@/server/transaction';
import { recordAudit } from '../audit/audit.service';
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

function claimMatches(actual: unknown, expected: string | number | boolean, name: string): boolean {
  // `aud` may be an array in a JWT (RFC 7519 §4.1.3); the rule matches if it is one of them.
  if (name === 'aud' && Array.isArray(actual)) return actual.includes(expected);
  return actual === expected;
}

/** The one service account whose every claim rule the verified JWT payload satisfies. */
export async function matchServiceAccount(issuer: string, payload: Record<string, unknown>) {
  const candidates = await serviceAccountRepo.listForIssuer(issuer);
  const matches = candidates.filter((account) =>
    Object.entries(account.claims as ClaimRules).every(([name, value]) =>
      claimMatches(payload[name], value, name),
    ),
  );
  if (matches.length > 1) {
    throw new AppError(
      'CONFLICT',
      `The token matches ${matches.length} service accounts (${matches.map((m) => m.name).join(', ')}); make their claim rules more specific.`,
    );
  }
  return matches[0] ?? null;
}
