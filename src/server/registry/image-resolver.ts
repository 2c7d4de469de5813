import Dockerode from 'dockerode';
import type { EngineDeps } from '@/server/domains/deployments/engine-deps';
import { localImageId } from '@/server/runtime/docker/local-image';
import { parseImageReference, pinnedReference } from './image-reference';
import { fetchManifestDigest } from './registry-digest';

/**
 * Pins image references to digests. A reference with a registry host is resolved through that
 * registry's HTTP API; a short name is first looked up in the local Docker engine (images built on
 * this machine have no registry digest, so their image id pins them), then on Docker Hub.
 */
export function createImageResolver(docker = new Dockerode()): EngineDeps['images'] {
  return {
    async resolve(image) {
      const reference = parseImageReference(image);
      if (reference.digest) return { digest: reference.digest };
      if (!reference.registry) {
        const id = await localImageId(docker, image);
        if (id) return { digest: id };
      }
      return { digest: await fetchManifestDigest(reference) };
    },
    async pinned(image, digest) {
      const reference = parseImageReference(image);
      if (!reference.registry && (await localImageId(docker, digest))) return digest;
      return pinnedReference(reference, digest);
    },
  };
}
