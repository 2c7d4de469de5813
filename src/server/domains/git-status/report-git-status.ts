import { env } from '@/env';
import { effectiveProvider } from '@/shared/git/git-source.schema';
import { deploymentRepo } from '../deployments/deployment.repo';
import { urlOfGroup } from '../deployments/deployment.service';
import { resolveGitSourceForBuild } from '../git-sources/git-source.service';
import { type CommitState, commitStateOf, describeState, shouldReport } from './commit-state';
import { forgeLocation } from './forge-repository';
import {
  type ForgeHttp,
  ForgeHttpError,
  ForgeRefusedError,
  type ForgeRepository,
  type ForgeStatusClient,
} from './forge-status-client';
import { forgeStatusClients } from './forges';
import { gitStatusRepo } from './git-status.repo';

export type GitStatusOutcome = 'reported' | 'skipped' | 'failed';

const PREVIEW_GROUP = /^pr-(\d+)$/;

/** A failure worth trying again: the network, a timeout, rate limiting or the forge's own error. */
const retryable = (error: unknown) =>
  !(error instanceof ForgeRefusedError) &&
  (!(error instanceof ForgeHttpError) || error.status === 429 || error.status >= 500);

/**
 * Tells the forge that the deployment's commit is `state`: its commit status, and for a pull
 * request's preview that became healthy, the one comment with the preview URL (edited on later
 * deploys). Nothing is posted twice in a row or turned back to pending (`shouldReport`). A failure
 * never touches the deployment: it is a warning among its events (without the token), and thrown
 * again when worth a retry.
 */
export async function reportGitStatus(
  http: ForgeHttp,
  payload: { deploymentId: string; state: CommitState },
): Promise<GitStatusOutcome> {
  const deployment = await deploymentRepo.findById(payload.deploymentId);
  if (!deployment?.commitSha) return 'skipped';
  const source = await resolveGitSourceForBuild(deployment.projectId);
  if (!source?.accessToken) return 'skipped';
  const last = (await gitStatusRepo.lastState(deployment.id)) as CommitState | null;
  if (!shouldReport(payload.state, last)) return 'skipped';

  const token = source.accessToken;
  const warn = (message: string) =>
    deploymentRepo.addEvent(deployment.id, message.replaceAll(token, '[token]'), 'warn');
  const provider = effectiveProvider(source);
  if (!provider) {
    await warn(
      `Rise could not report the commit status: it cannot tell the forge of ${source.repositoryUrl}. ` +
        `Set it: rise p u ${deployment.project.name} --provider github|gitlab|gitea|bitbucket`,
    );
    return 'failed';
  }
  const forge = forgeStatusClients[provider];
  const client = forge.client(http);
  let repository: ForgeRepository;
  try {
    const location = forgeLocation(source.repositoryUrl);
    repository = {
      apiBase: source.apiUrl ?? forge.defaultApiBase(location.origin),
      path: location.path,
      token,
    };
  } catch (error) {
    await warn(`Rise could not report the commit status to ${provider}: ${(error as Error).message}`);
    return 'failed';
  }

  const url = urlOfGroup(deployment);
  const status = deployment.status;
  const step = async (what: string, run: () => Promise<void>) => {
    try {
      await run();
      return true;
    } catch (error) {
      await warn(
        `Could not ${what} on ${provider}: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (retryable(error)) throw error;
      return false;
    }
  };
  const posted = await step(`set the commit status to ${payload.state}`, () =>
    client.postStatus(repository, {
      sha: deployment.commitSha!,
      state: payload.state,
      targetUrl:
        payload.state === 'success'
          ? url
          : `${env.RISE_URL.replace(/\/+$/, '')}/projects/${encodeURIComponent(deployment.project.name)}`,
      description: describeState(payload.state, commitStateOf(status) === payload.state ? status : 'pending'),
      context: `rise/${deployment.project.name}`,
    }),
  );
  if (!posted) return 'failed';

  // The comment goes with the status: a retry worth making posts both again (the status harmlessly).
  let commented = true;
  const pullRequest = PREVIEW_GROUP.exec(deployment.group)?.[1];
  if (payload.state === 'success' && deployment.trigger === 'pull_request' && pullRequest) {
    const number = Number(pullRequest);
    const body = previewComment(deployment.project.name, url, deployment.commitSha, deployment.id);
    commented = await step(`comment on pull request #${number}`, () =>
      upsertComment(client, repository, deployment.projectId, number, body),
    );
  }
  await gitStatusRepo.saveState(deployment.id, payload.state);
  await deploymentRepo.addEvent(
    deployment.id,
    `Reported ${payload.state} for ${deployment.commitSha.slice(0, 7)} to ${provider}`,
    'info',
  );
  return commented ? 'reported' : 'failed';
}

async function upsertComment(
  client: ForgeStatusClient,
  repository: ForgeRepository,
  projectId: string,
  number: number,
  body: string,
) {
  const existing = await gitStatusRepo.findComment(projectId, number);
  if (existing) {
    try {
      await client.updateComment(repository, number, existing, body);
      return;
    } catch (error) {
      // Someone deleted the comment: post a new one.
      if (!(error instanceof ForgeHttpError && error.status === 404)) throw error;
    }
  }
  const created = await client.createComment(repository, number, body);
  await gitStatusRepo.saveComment(projectId, number, created);
}

export function previewComment(project: string, url: string, sha: string, deploymentId: string): string {
  return [
    `**Rise preview** of \`${project}\` is live: ${url}`,
    '',
    `Commit ${sha.slice(0, 7)} · deployment ${deploymentId} (this comment is updated on every deploy of the pull request)`,
  ].join('\n');
}
