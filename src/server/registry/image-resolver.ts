import type Dockerode from 'dockerode';
import { env } from '@/env';
import { dockerClient } from '@/server/docker/docker-client';
import { inspectLocalImage } from '@/server/docker/local-image';
import { type OutboundGuard, outboundGuard } from '@/server/security/outbound-guard';
import {
  loginHostOf,
  pinnedReference,
  registryHostOf,
  validateDigest,
} from '@/shared/registry/image-reference';
import { workerPullToken } from './config';
import { assertLocalImageOwned, type ImageOwner, imageSourceFor, registryEndpoint } from './image-policy';
import { fetchManifestDigest, platformRegistryFetch, RegistryAccessDenied } from './registry-digest';
import type { ProjectRegistryLogins } from './registry-logins';

export type ImageResolverOptions = {
  docker?: Dockerode;
  /** RISE_REGISTRY_HOST: Rise's own registry, where a project may only use its own repository. */
  riseRegistryHost?: string;
  /** RISE_REGISTRY_INTERNAL_URL: where this process reaches that registry's API. */
  riseRegistryUrl?: string;
  /** The worker's bearer token for a project's repository in Rise's registry (pull only). */
  pullToken?: (project: ImageOwner) => Promise<string>;
  /** Checks connections to registries users name (default: RISE_OUTBOUND_ALLOW's guard). */
  guard?: () => OutboundGuard;
  /** Projects' logins to external registries (those stored with `rise registry login`). */
  logins: ProjectRegistryLogins;
};

/** How deployments pin the images they run (EngineDeps['images'] in domains/deployments). */
export type ImageResolver = {
  resolve(image: string, project: ImageOwner): Promise<{ digest: string }>;
  pinned(image: string, digest: string, project: ImageOwner): Promise<string>;
};

/**
 * Pins image references to digests, for one project at a time, and refuses what the project may not
 * run: another project's repository in Rise's registry, a local image not built for it, a registry on
 * an address the outbound guard refuses. Rise's registry is asked with the project's own pull
 * credentials; other registries through the guard. A short name is first looked up in the local
 * engine (images built on this machine pin to their image id), then on Docker Hub.
 */
export function createImageResolver(options: ImageResolverOptions): ImageResolver {
  const docker = options.docker ?? dockerClient();
  const registryHost = () => options.riseRegistryHost ?? env.RISE_REGISTRY_HOST;
  const registryUrl = () => options.riseRegistryUrl ?? env.RISE_REGISTRY_INTERNAL_URL;
  const pullToken = options.pullToken ?? workerPullToken;
  const guard = options.guard ?? outboundGuard;
  const { logins } = options;
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
        // At its internal address (the public RISE_REGISTRY_HOST is the host's, not this container's).
        try {
          return {
            digest: await fetchManifestDigest(reference, {
              bearerToken: await pullToken(project),
              baseUrl: registryUrl(),
              fetch: platformRegistryFetch,
            }),
          };
        } catch (error) {
          if (error instanceof RegistryAccessDenied) throw riseRegistryRefusedError(error);
          throw error;
        }
      }
      const loginHost = loginHostOf(reference);
      const credentials = await logins.forPull(project, loginHost);
      // A pinned image that is not cached anywhere is checked by the pull itself, so Rise connects to
      // nothing here (the Docker runtime guards its pull). A cached one (in this engine, or a
      // cluster's nodes, which may hold what any project on a registry with logins pulled) may be
      // private to another project: then the registry must confirm that this project may read it.
      if (
        reference.digest &&
        !credentials &&
        !(await logins.hostHasLogins(loginHost)) &&
        !(await inspectLocalImage(docker, image).catch(() => null))
      )
        return { digest: reference.digest };
      await checkRegistry(registryHostOf(reference));
      try {
        return {
          digest: await fetchManifestDigest(reference, {
            ...(credentials ? { credentials } : {}),
            fetch: (url, init) => guard().fetch(url, init) as never,
          }),
        };
      } catch (error) {
        if (error instanceof RegistryAccessDenied) throw accessDeniedError(error, project, loginHost);
        throw error;
      }
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

/** Rise's registry refused a token Rise signed: its token auth does not trust this Rise. */
function riseRegistryRefusedError(error: RegistryAccessDenied): Error {
  return new Error(
    `${error.message}. Rise's registry does not accept the tokens this Rise signs: its auth.token issuer and service must be RISE_REGISTRY_ISSUER (${env.RISE_REGISTRY_ISSUER}) and RISE_REGISTRY_SERVICE (${env.RISE_REGISTRY_SERVICE}), its rootcertbundle Rise's certificate (Admin → Health checks this).`,
    { cause: error },
  );
}

/** What to do about a refused pull: store a login for the project, or fix the one it has. */
function accessDeniedError(error: RegistryAccessDenied, project: ImageOwner, host: string): Error {
  const command = `rise registry login ${host} -p ${project.name} -u <user> --password-stdin`;
  return new Error(
    error.withCredentials
      ? `${error.message}. Check the login of project '${project.name}' for ${host} (user, password or token, and its access to ${error.repository}); replace it with \`${command}\` or in the dashboard (project Settings → Registry credentials).`
      : `${error.message}. Project '${project.name}' has no login for ${host}: add one with \`${command}\` or in the dashboard (project Settings → Registry credentials).`,
    { cause: error },
  );
}
