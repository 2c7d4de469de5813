import { env } from '@/env';
import { AppError } from '@/server/errors';
import { workerRegistryCredentials } from '@/server/registry/config';
import { parseImageReference } from '@/server/registry/image-reference';
import { DockerRuntime } from './docker/docker-runtime';
import type { Runtime } from './types';

/** The environment values the runtimes read (RISE_DOCKER_NETWORK, RISE_PROXY_UPSTREAM_MODE). */
export type RuntimeSettings = {
  RISE_INSTANCE_ID: string;
  RISE_DOCKER_NETWORK: string;
  RISE_PROXY_UPSTREAM_MODE: 'host' | 'network';
};

const runtimes = new Map<string, Runtime>();

/**
 * The runtime a project runs on (`project.runtime`, e.g. 'docker'); one shared instance per runtime
 * and settings. Domains receive the result as an argument and never import an adapter.
 */
export function createRuntime(
  config: string | { runtime: string },
  settings: RuntimeSettings = env,
): Runtime {
  const name = typeof config === 'string' ? config : config.runtime;
  const key = `${name}\0${settings.RISE_INSTANCE_ID}\0${settings.RISE_DOCKER_NETWORK}\0${settings.RISE_PROXY_UPSTREAM_MODE}`;
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = instantiate(name, settings);
    runtimes.set(key, runtime);
  }
  return runtime;
}

function instantiate(name: string, settings: RuntimeSettings): Runtime {
  switch (name) {
    case 'docker':
      return new DockerRuntime({
        instance: settings.RISE_INSTANCE_ID,
        // Rise's own registry wants the worker's pull credentials; other registries are pulled as is.
        pullAuth: async (image) => {
          if (parseImageReference(image).registry !== env.RISE_REGISTRY_HOST) return null;
          return { ...(await workerRegistryCredentials()), serveraddress: env.RISE_REGISTRY_HOST };
        },
        network: settings.RISE_DOCKER_NETWORK,
        upstreamMode: settings.RISE_PROXY_UPSTREAM_MODE,
      });
    case 'kubernetes':
      throw new AppError(
        'PRECONDITION_FAILED',
        "runtime 'kubernetes' is not available yet: Kubernetes support arrives with the Kubernetes runtime",
      );
    default:
      throw new AppError(
        'PRECONDITION_FAILED',
        `unknown runtime ${JSON.stringify(name)}: expected 'docker' (Kubernetes support arrives with the Kubernetes runtime)`,
      );
  }
}
