import { createHmac } from 'node:crypto';
import { env, requireEnv } from '@/env';
import type { Tx } from '@/server/db';
import type { Caller } from '@/server/domains/access/caller';
import { AppError, conflict, notFound } from '@/server/errors';
import { reconcileJob } from '@/server/jobs/definitions/reconcile.job';
import { enqueue } from '@/server/jobs/enqueue';
import { inTransaction, isUniqueViolation } from '@/server/transaction';
import type { DomainView } from '@/shared/custom-domains/domain.schema';
import { recordAudit } from '../audit/audit.service';
import { listCertificateChecks } from '../certificates/certificate-check.service';
import { domainRepo } from './domain.repo';
import { domainChallenge, TOKEN_PATTERN, txtRecordText } from './domain-challenge';
import { createDomainVerifier, type DomainVerifier } from './domain-verifier';
import { platformHostsFromEnv, reservedHostnameReason } from './reserved-hostnames';

type Project = { id: string; name: string; ownerTeamId: string | null };
type DomainRow = {
  id: string;
  projectId: string;
  hostname: string;
  verificationToken: string;
  verifiedAt: Date | null;
  lastCheckedAt: Date | null;
  lastCheckError: string | null;
  createdAt: Date;
};

/** On-demand checks of one domain are at least this far apart. */
export const CHECK_COOLDOWN_MS = 5_000;
/** Pending domains are re-checked in the background for this long after they were added. */
export const BACKGROUND_CHECK_DAYS = 7;
const BACKGROUND_BATCH = 100;

/**
 * The token a project proves `hostname` with. Derived rather than random so that the same project
 * always gets the same token for a host (a TXT record stays valid across remove/add), and so that a
 * project can be told its token before it holds the claim (to replace another project's unproven one).
 */
export function verificationTokenFor(projectId: string, hostname: string): string {
  return createHmac('sha256', requireEnv('AUTH_SECRET'))
    .update(`rise-domain-challenge\n${projectId}\n${hostname}`)
    .digest('base64url')
    .slice(0, 32);
}

const challengeOf = (hostname: string, token: string) =>
  domainChallenge(hostname, token, env.RISE_PROXY_HTTP_PORT);

type CertificateCheck = Awaited<ReturnType<typeof listCertificateChecks>>[number];

function toView(row: DomainRow, certificate: CertificateCheck | null = null): DomainView {
  return {
    hostname: row.hostname,
    status: row.verifiedAt ? 'verified' : 'pending',
    tls: env.RISE_TLS_MODE,
    challenge: challengeOf(row.hostname, row.verificationToken),
    verifiedAt: row.verifiedAt,
    lastCheckedAt: row.lastCheckedAt,
    lastCheckError: row.lastCheckError,
    certificate: certificate && {
      checkedAt: certificate.checkedAt,
      ok: certificate.ok,
      reason: certificate.reason,
      expiresAt: certificate.expiresAt,
    },
    createdAt: row.createdAt,
  };
}

export async function listDomains(project: Project) {
  const [rows, checks] = await Promise.all([
    domainRepo.listForProject(project.id),
    listCertificateChecks(project.id),
  ]);
  const byHost = new Map(checks.map((check) => [check.hostname, check]));
  return rows.map((row) => toView(row, byHost.get(row.hostname) ?? null));
}

const verifyHint = (hostname: string, project: Project) =>
  `rise domain verify ${hostname} --project ${project.name}`;

/**
 * Claims `hostname` for the project, pending until its owner proves it (`verifyDomain`, or the
 * background check): a pending domain gets no route and no certificate. Rise's own names are refused.
 * A claim another project holds blocks only while it is verified: an unproven one is replaced by a
 * claim that comes with its proof (the TXT record with this project's token).
 */
export async function addDomain(
  caller: Caller,
  project: Project,
  hostname: string,
  verifier: DomainVerifier = createDomainVerifier(),
) {
  const reserved = reservedHostnameReason(hostname, platformHostsFromEnv());
  if (reserved) throw new AppError('BAD_REQUEST', reserved);
  const token = verificationTokenFor(project.id, hostname);
  const existing = await domainRepo.findByHostname(hostname);
  if (existing?.projectId === project.id) {
    throw conflict(
      existing.verifiedAt
        ? `${hostname} is already a verified domain of '${project.name}'.`
        : `${hostname} is already a domain of '${project.name}', pending verification: ${verifyHint(hostname, project)}`,
    );
  }
  if (existing?.verifiedAt) throw conflict(`${hostname} is already used by another project.`);
  if (existing) return replacePendingClaim(caller, project, existing, token, verifier);
  try {
    await inTransaction(async (tx) => {
      await domainRepo.create(
        { projectId: project.id, hostname, verifiedAt: null, verificationToken: token },
        tx,
      );
      await auditDomainAdded(caller, project, hostname, { status: 'pending' }, tx);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`${hostname} is already used by a project.`);
    throw error;
  }
  return listDomains(project);
}

function auditDomainAdded(
  caller: Caller,
  project: Project,
  hostname: string,
  details: NonNullable<Parameters<typeof recordAudit>[1]['details']>,
  tx: Tx,
) {
  return recordAudit(
    caller,
    {
      action: 'domain.add',
      targetType: 'domain',
      targetName: hostname,
      projectId: project.id,
      teamId: project.ownerTeamId,
      details,
    },
    tx,
  );
}

/** Another project's unproven claim gives way to this project's proven one (TXT only: the HTTP token is served for the holder's claim). */
async function replacePendingClaim(
  caller: Caller,
  project: Project,
  existing: DomainRow,
  token: string,
  verifier: DomainVerifier,
) {
  const { hostname } = existing;
  const proof = await verifier.checkTxt(hostname, token);
  if (!proof.ok) {
    throw conflict(
      `${hostname} is claimed by another project but not verified. If the domain is yours, create the DNS record ${txtRecordText(challengeOf(hostname, token))} and add it again: a proven claim replaces an unproven one. (${proof.error})`,
      { txtName: challengeOf(hostname, token).txt.name, txtValue: token },
    );
  }
  await inTransaction(async (tx) => {
    if (!(await domainRepo.deletePending(existing.id, tx))) {
      throw conflict(`${hostname} was verified or removed meanwhile; try again.`);
    }
    await domainRepo.create(
      { projectId: project.id, hostname, verifiedAt: new Date(), verificationToken: token },
      tx,
    );
    await enqueue(tx, reconcileJob, {});
    await recordAudit(
      null,
      {
        action: 'domain.remove',
        targetType: 'domain',
        targetName: hostname,
        projectId: existing.projectId,
        details: { reason: 'unverified claim replaced by a verified one of another project' },
      },
      tx,
    );
    await auditDomainAdded(
      caller,
      project,
      hostname,
      { status: 'verified', method: 'dns', replacedPendingClaim: true },
      tx,
    );
  });
  return listDomains(project);
}

export async function removeDomain(caller: Caller, project: Project, hostname: string) {
  await inTransaction(async (tx) => {
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

type CheckResult = { verified: true; method: 'dns' | 'http' } | { verified: false; error: string };

/** Looks for either proof: the TXT record first, then the HTTP token. */
async function lookForProof(row: DomainRow, verifier: DomainVerifier): Promise<CheckResult> {
  const reserved = reservedHostnameReason(row.hostname, platformHostsFromEnv());
  if (reserved) return { verified: false, error: reserved };
  const txt = await verifier.checkTxt(row.hostname, row.verificationToken);
  if (txt.ok) return { verified: true, method: 'dns' };
  const http = await verifier.checkHttp(row.hostname, row.verificationToken);
  if (http.ok) return { verified: true, method: 'http' };
  return { verified: false, error: `${txt.error}; ${http.error}` };
}

/** Records the outcome of a check; on success the domain is verified and a reconcile routes it at once. */
async function settleCheck(caller: Caller | null, project: Project, row: DomainRow, result: CheckResult) {
  const now = new Date();
  if (!result.verified) {
    await domainRepo.recordFailedCheck(row.id, result.error, now);
    return false;
  }
  return inTransaction(async (tx) => {
    if (!(await domainRepo.markVerified(row.id, now, tx))) return false;
    await enqueue(tx, reconcileJob, {});
    await recordAudit(
      caller,
      {
        action: 'domain.verify',
        targetType: 'domain',
        targetName: row.hostname,
        projectId: project.id,
        teamId: project.ownerTeamId,
        details: { status: 'verified', method: result.method },
      },
      tx,
    );
    return true;
  });
}

/** Checks a pending domain now (the TXT record or the HTTP token) and answers its state. */
export async function verifyDomain(
  caller: Caller,
  project: Project,
  hostname: string,
  verifier: DomainVerifier = createDomainVerifier(),
): Promise<DomainView> {
  const row = await domainRepo.findForProject(project.id, hostname);
  if (!row) {
    throw notFound(
      `${hostname} is not a domain of '${project.name}'. Add it first: rise domain add ${hostname} --project ${project.name}`,
    );
  }
  if (!row.verifiedAt) {
    const now = new Date();
    const claimed = await domainRepo.claimCheck(row.id, new Date(now.getTime() - CHECK_COOLDOWN_MS), now);
    // Not claimed because the background check just verified it: answer that below.
    if (!claimed && !(await domainRepo.findById(row.id))?.verifiedAt) {
      throw new AppError(
        'TOO_MANY_REQUESTS',
        `${hostname} is being checked or was checked less than ${CHECK_COOLDOWN_MS / 1000} s ago; try again in a few seconds.`,
      );
    }
    if (claimed && (await settleCheck(caller, project, row, await lookForProof(row, verifier)))) {
      return toView((await domainRepo.findById(row.id)) ?? row);
    }
  }
  const current = (await domainRepo.findById(row.id)) ?? row;
  await recordAudit(caller, {
    action: 'domain.verify',
    targetType: 'domain',
    targetName: hostname,
    projectId: project.id,
    teamId: project.ownerTeamId,
    details: current.verifiedAt
      ? { status: 'verified' }
      : { status: 'pending', error: current.lastCheckError ?? '' },
  });
  return toView(current);
}

/**
 * How often a pending domain is re-checked in the background: every minute in its first hour, every
 * 5 minutes in its first day, every 30 minutes after that (until BACKGROUND_CHECK_DAYS).
 */
export function backgroundCheckIntervalMs(createdAt: Date, now: Date): number {
  const age = now.getTime() - createdAt.getTime();
  if (age < 3_600_000) return 60_000;
  if (age < 86_400_000) return 300_000;
  return 1_800_000;
}

export function isBackgroundCheckDue(
  row: { createdAt: Date; lastCheckedAt: Date | null },
  now: Date,
): boolean {
  // Never checked (e.g. a domain from before verification existed): once, whatever its age.
  if (!row.lastCheckedAt) return true;
  if (now.getTime() - row.createdAt.getTime() > BACKGROUND_CHECK_DAYS * 86_400_000) return false;
  // A little slack so that a job running every minute does not skip a minute by milliseconds.
  return now.getTime() - row.lastCheckedAt.getTime() >= backgroundCheckIntervalMs(row.createdAt, now) - 5_000;
}

/** The background job: re-checks the pending domains that are due; verified ones get their route at once. */
export async function recheckPendingDomains(
  verifier: DomainVerifier = createDomainVerifier(),
  now = new Date(),
): Promise<{ checked: number; verified: number }> {
  const report = { checked: 0, verified: 0 };
  const since = new Date(now.getTime() - BACKGROUND_CHECK_DAYS * 86_400_000);
  for (const row of await domainRepo.listPendingSince(since, BACKGROUND_BATCH)) {
    if (!isBackgroundCheckDue(row, now)) continue;
    const interval = backgroundCheckIntervalMs(row.createdAt, now) - 5_000;
    if (!(await domainRepo.claimCheck(row.id, new Date(now.getTime() - interval), new Date()))) continue;
    report.checked++;
    if (await settleCheck(null, row.project, row, await lookForProof(row, verifier))) report.verified++;
  }
  return report;
}

/**
 * The HTTP challenge as Rise's proxy forwards it (any host, path /.well-known/rise-challenge/<token>):
 * the token when `host` is a pending domain with that token, else null (404).
 */
export async function answerHttpChallenge(host: string, token: string): Promise<string | null> {
  const hostname = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  if (!TOKEN_PATTERN.test(token) || !hostname) return null;
  return (await domainRepo.isPendingWithToken(hostname, token)) ? token : null;
}
