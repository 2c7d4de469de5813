import { env } from '@/env';
import { AppError } from '@/server/errors';
import { type OutboundGuard, outboundGuard } from '@/server/security/outbound-guard';
import { loginHostOf, parseImageReference, registryHostOf } from '@/shared/registry/image-reference';
import { builtinRepositoryOf, workerPullCredentials } from './config';
import { registryEndpoint } from './image-policy';
import type { ProjectRegistryLogins } from './registry-logins';

/** What a runtime pulls an image with: Docker's auth config, also the entry of a dockerconfigjson. */
export type PullCredentials = { username: string; password: string; serveraddress: string };

export type PullAuthOptions = {
  /** When this machine's engine pulls: registries are reached only once the outbound guard accepts them. */
  guardOutbound: boolean;
  /** RISE_REGISTRY_HOST. */
  riseRegistryHost?: string;
  logins: ProjectRegistryLogins;
  guard?: () => OutboundGuard;
};

/** Docker's name for Docker Hub in auth configs (and kubelet's in dockerconfigjson). */
const DOCKER_HUB_AUTH_ADDRESS = 'https://index.docker.io/v1/';

/**
 * Pull credentials of `project` for `image`, or null for an anonymous pull. Rise's own registry: the
 * project's own repository only, with pull credentials for it alone. Other registries: the project's
 * own login for that host, if it stored one (never another project's). When this machine's engine
 * pulls (`guardOutbound`), only once the outbound guard accepts the host; a cluster pulls through its
 * own network and DNS (an in-cluster registry name may not even resolve here), so the guard is not
 * Rise's to apply there.
 */
export function createPullAuth(options: PullAuthOptions) {
  const { logins } = options;
  const guard = options.guard ?? outboundGuard;
  return async (image: string, project: string): Promise<PullCredentials | null> => {
    if (/^(sha256:)?[a-f0-9]{64}$/.test(image)) return null;
    const riseRegistryHost = options.riseRegistryHost ?? env.RISE_REGISTRY_HOST;
    const reference = parseImageReference(image);
    const registry = registryHostOf(reference);
    if (registry.toLowerCase() !== riseRegistryHost.toLowerCase()) {
      if (options.guardOutbound) {
        const { host, port } = registryEndpoint(registry);
        await guard().assertHostAllowed(host, port);
      }
      const loginHost = loginHostOf(reference);
      const login = await logins.forPull({ name: project }, loginHost);
      if (!login) return null;
      return {
        username: login.username,
        password: login.password,
        serveraddress: loginHost === 'docker.io' ? DOCKER_HUB_AUTH_ADDRESS : registry,
      };
    }
    if (reference.repository !== builtinRepositoryOf({ name: project }))
      throw new AppError('FORBIDDEN', `project '${project}' may not pull ${image} from Rise's registry`);
    const credentials = await workerPullCredentials({ name: project });
    return {
      username: credentials.username,
      password: credentials.password,
      serveraddress: riseRegistryHost,
    };
  };
}
