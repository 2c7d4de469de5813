import { randomBytes } from 'node:crypto';
import { env } from '@/env';
import type { Caller } from '@/server/domains/access/caller';
import { AppError, badRequest, notFound } from '@/server/errors';
import { GitError, gitAuthFor } from '@/server/git/git-clone';
import { listRemoteRefs } from '@/server/git/git-ls-remote';
import { decryptSecret, encryptSecret } from '@/server/security/secret-box';
import { inTransaction } from '@/server/transaction';
import type { GitRefView } from '@/shared/git/git-ref.schema';
import {
  effectiveProvider,
  type GitSourceSettings,
  type GitSourceView,
  webhookPath,
} from '@/shared/git/git-source.schema';
import { projectAuditTarget, recordAudit } from '../audit/audit.service';
import { generateDeployKey } from './deploy-key';
import { gitSourceRepo } from './git-source.repo';

type Project = { id: string; name: string; ownerTeamId: string | null };
type Row = NonNullable<Awaited<ReturnType<typeof gitSourceRepo.find>>>;

// 24 random bytes: unguessable, URL-safe, and the only thing in the webhook URL that names the source.
const newHookId = () => randomBytes(24).toString('base64url');
const newWebhookSecret = () => randomBytes(32).toString('base64url');

function viewOf(row: Row): GitSourceView {
  const provider = effectiveProvider(row);
  return {
    repositoryUrl: row.repositoryUrl,
    branch: row.branch,
    rootDirectory: row.rootDirectory,
    dockerfile: row.dockerfile,
    watchPaths: row.watchPaths,
    submodules: row.submodules,
    provider: row.provider,
    previewExpiry: row.previewExpiry,
    webhookUrl: provider ? `${env.RISE_URL.replace(/\/+$/, '')}${webhookPath(provider, row.hookId)}` : null,
    deployKey: row.deployKeyPublic,
    accessTokenSet: row.accessToken !== null,
    apiUrl: row.apiUrl,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function notConfigured(project: Project) {
  return notFound(
    `Project '${project.name}' has no git source. Set one with \`rise project update ${project.name} --git URL --branch BRANCH\`.`,
  );
}

export async function getGitSource(project: Project): Promise<GitSourceView | null> {
  const row = await gitSourceRepo.find(project.id);
  return row ? viewOf(row) : null;
}

/**
 * Creates or updates the project's git source. The webhook secret is returned only when it is made
 * (first set); afterwards it is shown only by an explicit, audited reveal.
 */
export async function setGitSource(
  caller: Caller,
  project: Project,
  settings: GitSourceSettings,
): Promise<{ source: GitSourceView; webhookSecret: string | null }> {
  const { accessToken, ...plain } = settings;
  const sealedToken =
    accessToken === undefined ? {} : { accessToken: accessToken && encryptSecret(accessToken) };
  return inTransaction(async (tx) => {
    const existing = await gitSourceRepo.find(project.id, tx);
    let row: Row;
    let webhookSecret: string | null = null;
    if (existing) {
      row = await gitSourceRepo.update(project.id, { ...plain, ...sealedToken }, tx);
    } else {
      if (!plain.repositoryUrl) {
        throw badRequest(
          `Project '${project.name}' has no git source yet: give its repository URL (\`--git URL\`).`,
        );
      }
      webhookSecret = newWebhookSecret();
      row = await gitSourceRepo.create(
        {
          ...plain,
          repositoryUrl: plain.repositoryUrl,
          ...sealedToken,
          projectId: project.id,
          hookId: newHookId(),
          webhookSecret: encryptSecret(webhookSecret),
        },
        tx,
      );
    }
    await recordAudit(
      caller,
      {
        action: 'git-source.set',
        ...projectAuditTarget(project),
        // Settings as given, the token only as set/cleared: secrets stay out of the audit log.
        details: {
          ...plain,
          ...(accessToken === undefined ? {} : { accessToken: accessToken === null ? 'cleared' : 'set' }),
          created: !existing,
        },
      },
      tx,
    );
    return { source: viewOf(row), webhookSecret };
  });
}

export async function removeGitSource(caller: Caller, project: Project): Promise<void> {
  await inTransaction(async (tx) => {
    if ((await gitSourceRepo.delete(project.id, tx)) === 0) throw notConfigured(project);
    await recordAudit(caller, { action: 'git-source.remove', ...projectAuditTarget(project) }, tx);
  });
}

/** A new deploy key (replacing any earlier one); only its public half ever leaves the server. */
export async function generateGitDeployKey(caller: Caller, project: Project): Promise<{ publicKey: string }> {
  const { publicKey, privateKey } = generateDeployKey(`rise-${project.name}`);
  await inTransaction(async (tx) => {
    const existing = await gitSourceRepo.find(project.id, tx);
    if (!existing) throw notConfigured(project);
    await gitSourceRepo.update(
      project.id,
      { deployKeyPublic: publicKey, deployKeyPrivate: encryptSecret(privateKey) },
      tx,
    );
    await recordAudit(
      caller,
      {
        action: 'git-source.deploy-key',
        ...projectAuditTarget(project),
        details: { publicKey, replaced: existing.deployKeyPublic !== null },
      },
      tx,
    );
  });
  return { publicKey };
}

export async function rotateWebhookSecret(
  caller: Caller,
  project: Project,
): Promise<{ webhookSecret: string }> {
  const webhookSecret = newWebhookSecret();
  await inTransaction(async (tx) => {
    if (!(await gitSourceRepo.find(project.id, tx))) throw notConfigured(project);
    await gitSourceRepo.update(project.id, { webhookSecret: encryptSecret(webhookSecret) }, tx);
    await recordAudit(
      caller,
      { action: 'git-source.webhook-secret.rotate', ...projectAuditTarget(project) },
      tx,
    );
  });
  return { webhookSecret };
}

/** The webhook secret, to paste into the forge; who revealed it is audited (the value is not). */
export async function revealWebhookSecret(
  caller: Caller,
  project: Project,
): Promise<{ webhookSecret: string }> {
  const row = await gitSourceRepo.find(project.id);
  if (!row) throw notConfigured(project);
  await recordAudit(caller, { action: 'git-source.webhook-secret.reveal', ...projectAuditTarget(project) });
  return { webhookSecret: decryptSecret(row.webhookSecret) };
}

/**
 * The source with its secrets opened: only for the server's own use (cloning in a build, verifying a
 * webhook). Never send this to a client or a log.
 */
export async function resolveGitSourceForBuild(projectId: string) {
  const row = await gitSourceRepo.find(projectId);
  if (!row) return null;
  return {
    ...row,
    webhookSecret: decryptSecret(row.webhookSecret),
    deployKeyPrivate: row.deployKeyPrivate && decryptSecret(row.deployKeyPrivate),
    accessToken: row.accessToken && decryptSecret(row.accessToken),
  };
}

/**
 * The branches and tags of the project's repository (for the dashboard's deploy picker), asked with
 * `git ls-remote` and the source's credentials. A forge that cannot be reached is a clear error.
 */
export async function listGitSourceRefs(project: Project): Promise<GitRefView[]> {
  const source = await resolveGitSourceForBuild(project.id);
  if (!source) throw notConfigured(project);
  try {
    return await listRemoteRefs({
      url: source.repositoryUrl,
      auth: gitAuthFor(source, source.repositoryUrl),
    });
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    throw new AppError(
      'PRECONDITION_FAILED',
      `Cannot list the branches of ${source.repositoryUrl}: ${error.message}`,
    );
  }
}
