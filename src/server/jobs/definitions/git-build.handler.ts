import { env } from '@/env';
import { dockerClient } from '@/server/docker/docker-client';
import { pushImage } from '@/server/docker/image-push';
import { buildDefaults } from '@/server/domains/deployments/build-defaults.service';
import { runGitBuild } from '@/server/domains/git-builds/run-git-build';
import { cloneRepository } from '@/server/git/git-clone';
import { gitRemoteEndpoint } from '@/server/git/git-remote';
import { builtinRepositoryOf, workerPushCredentials } from '@/server/registry/config';
import { outboundGuard } from '@/server/security/outbound-guard';
import { createBuilder, PROJECT_IMAGE_LABEL } from '@/shared/builders';
import { resolveBaseImages } from '@/shared/builders/build-settings';

/**
 * Builds a deployment from its project's git source with this machine's git and Docker engine (its
 * layer cache is shared by every build of a project) and pushes it to Rise's registry.
 */
export async function handleGitBuild(
  payload: { deploymentId: string; projectId: string },
  signal: AbortSignal,
) {
  const docker = dockerClient();
  await runGitBuild(
    {
      clone: async (request) => {
        const { host, port } = gitRemoteEndpoint(request.url);
        await outboundGuard().assertHostAllowed(host, port);
        return cloneRepository(request);
      },
      build: async (input) => {
        const images = resolveBaseImages({ server: buildDefaults().images }).images;
        await createBuilder(input.backend, { docker, images }).build({
          context: input.context,
          dockerfile: input.dockerfile,
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
    },
    payload,
    signal,
  );
}
