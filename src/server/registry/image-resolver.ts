import Dockerode from 'dockerode';
import { env } from '@/env';
import type { EngineDeps } from '@/server/domains/deployments/engine-deps';
import { inspectLocalImage } from '@/server/runtime/docker/local-image';
import { type OutboundGuard, outboundGuard } from '@/server/security/outbound-guard';
import { workerPullCredentials } from './config';
import { assertLocalImageOwned, type ImageOwner, imageSourceFor, registryEndpoint } from './image-policy';
import { pinnedReference, registryHostOf, validateDigest } from './image-reference';
import { fetchManifestDigest, platformRegistryFetch } from './registry-digest';

export type ImageResolverOptions = {
  docker?: Dockerode;
  /** RISE_REGISTRY_HOST: Rise's own registry, where a project may only use its own repository. */
  riseRegistryHost?: string;
  /** The worker's pull credentials for a project's repository in Rise's registry. */
  pullCredentials?: (project: ImageOwner) => Promise<{ username: string; password: string }>;
  /** Checks connections to registries users name (default: RISE_OUTBOUND_ALLOW's guard). */
  guard?: () => OutboundGuard;
};

/**
 * Pins image references to digests, for one project at a time, and refuses what the project may not
 * run: another project's repository in Rise's registry, a local image not built for it, a registry on
 * an address the outbound guard refuses. Rise's registry is asked with the project's own pull
 * credentials; other registries through the guard. A short name is first looked up in the local
 * engine (images built on this machine pin to their image id), then on Docker Hub.
 */
export function createImageResolver(options: ImageResolverOptions = {}): EngineDeps['images'] {
  const docker = options.docker ?? new Dockerode();
  const registryHost = () => options.riseRegistryHost ?? env.RISE_REGISTRY_HOST;
  const pullCredentials = options.pullCredentials ?? workerPullCredentials;
  const guard = options.guard ?? outboundGuard;
  const checkRegistry = async (registry: string) => {
    const { host, port } = registryEndpoint(registry);
    await guard().assertHostAllowed(host, port);
  };

  return {
    async resolve(image, project) {
      const source = imageSourceFor(image, project, registryHost());
      if (source.kind === 'local') {
        const local = await inspectLocalImage(docker, 'id' in source.reference ? source.reference.id : image);
        if (local) {
          assertLocalImageOwned(image, local.labels, project);
          return { digest: local.id };
        }
        if ('id' in source.reference) throw new Error(`image ${image} is not present in the Docker engine`);
      }
      const reference = source.reference as Exclude<typeof source.reference, { id: string }>;
      if (source.kind === 'rise-registry') {
        if (reference.digest) return { digest: reference.digest };
        return {
          digest: await fetchManifestDigest(reference, {
            credentials: await pullCredentials(project),
            fetch: platformRegistryFetch,
          }),
        };
      }
      // Pinned already: Rise connects to nothing here (the Docker runtime guards its pull itself).
      if (reference.digest) return { digest: reference.digest };
      await checkRegistry(registryHostOf(reference));
      return {
        digest: await fetchManifestDigest(reference, {
          fetch: (url, init) => guard().fetch(url, init) as never,
        }),
      };
    },

    async pinned(image, digest, project) {
      validateDigest(digest, digest);
      const source = imageSourceFor(image, project, registryHost());
      if (source.kind === 'local') {
        // A local image pins to its image id, re-checked here: the engine's images change.
        const local = await inspectLocalImage(docker, digest);
        if (local) {
          assertLocalImageOwned(image, local.labels, project);
          return local.id;
        }
        if ('id' in source.reference)
          throw new Error(`image ${image} is no longer present in the Docker engine`);
      }
      // No connection here: the Docker runtime guards its pull itself; a cluster pulls on its own.
      const reference = source.reference as Exclude<typeof source.reference, { id: string }>;
      return pinnedReference(reference, digest);
    },
  };
}
