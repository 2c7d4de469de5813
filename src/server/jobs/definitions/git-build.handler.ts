import { env } from '@/env';
import { dockerClient } from '@/server/docker/docker-client';
import { pushImage } from '@/server/docker/image-push';
import { buildDefaults } from '@/server/domains/deployments/build-defaults.service';
import { failAbandonedBuild } from '@/server/domains/git-builds/fail-abandoned-build';
import { removeWorkDirs, runGitBuild } from '@/server/domains/git-builds/run-git-build';
import { cloneRepository } from '@/server/git/git-clone';
import { gitRemoteEndpoint } from '@/server/git/git-remote';
import { builtinRepositoryOf, workerPushCredentials } from '@/server/registry/config';
import { outboundGuard } from '@/server/security/outbound-guard';
import { createBuilder, PROJECT_IMAGE_LABEL } from '@/shared/builders';
import { resolveBaseImages } from '@/shared/builders/build-settings';
import type { JobAttempt } from '../types';
import { failureMessage } from './job-failure-message';

type Payload = { deploymentId: string; projectId: string };

/**
 * Builds a deployment from its project's git source with this machine's git and Docker engine (its
 * layer cache is shared by every build of a project) and pushes it to Rise's registry. An error that
 * escapes the build on the job's last attempt fails the deployment before the job fails.
 */
export async function handleGitBuild(payload: Payload, signal: AbortSignal, attempt: JobAttempt) {
  try {
    await buildFromGit(payload, signal, attempt);
  } catch (error) {
    if (attempt.retryCount >= attempt.retryLimit)
      await failAbandonedBuild(
        payload.deploymentId,
        `Build failed after ${attempt.retryCount + 1} attempts: ${(error as Error).message ?? String(error)}`,
      );
    throw error;
  }
}

/**
 * A git-build job that failed for good (from its dead-letter queue): the worker building it died on
 * its last attempt, or the attempt's error escaped. Its deployment must not stay `building`.
 */
export async function handleGitBuildFailed(payload: Payload, _signal: AbortSignal, attempt: JobAttempt) {
  // The dead attempt's clone, when it ran on this machine.
  await removeWorkDirs(payload.deploymentId);
  const attempts = (attempt.deadLettered?.retryCount ?? 0) + 1;
  const failed = await failAbandonedBuild(
    payload.deploymentId,
    `Build failed: its job was given up after ${attempts} attempt${attempts === 1 ? '' : 's'} (last: ${failureMessage(attempt.deadLettered?.output)}; a worker that dies or hangs mid-build ends its attempt this way).`,
  );
  return { deploymentId: payload.deploymentId, failed };
}

async function buildFromGit(payload: Payload, signal: AbortSignal, attempt: JobAttempt) {
  const docker = dockerClient();
  await runGitBuild(
    {
      clone: async (request) => {
        const { host, port } = gitRemoteEndpoint(request.url);
        await outboundGuard().assertHostAllowed(host, port);
        return cloneRepository(request);
      },
      build: async (input) => {
        // .rise.toml [build] > the server's RISE_BUILD_* > built-in, as for a client build.
        const images = resolveBaseImages({ riseToml: input.images, server: buildDefaults().images }).images;
        await createBuilder(input.backend, { docker, images, builder: input.builder }).build({
          context: input.context,
          dockerfile: input.dockerfile,
          builder: input.builder,
          tag: input.tag,
          labels: { [PROJECT_IMAGE_LABEL]: input.project },
          onLog: input.onLog,
          signal: input.signal,
        });
      },
      push: async (reference, target, onLog, pushSignal) => {
        // Signed right before the push: five minutes, this project's repository only.
        const credentials = await workerPushCredentials({ name: target.project }, target.deploymentId);
        return pushImage(
          docker,
          reference,
          {
            username: credentials.username,
            password: credentials.password,
            serveraddress: env.RISE_REGISTRY_HOST,
          },
          onLog,
          pushSignal,
        );
      },
      repositoryOf: (project) => `${env.RISE_REGISTRY_HOST}/${builtinRepositoryOf({ name: project })}`,
      timeoutMs: env.RISE_BUILD_TIMEOUT,
    },
    payload,
    signal,
    attempt,
  );
}
