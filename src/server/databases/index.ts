import { env } from '@/env';
import { projectNetworkPrefix } from '@/server/docker/labels';
import { DockerDatabaseHost } from './docker/docker-database-host';
import type { DatabaseHost } from './types';

let host: DatabaseHost | undefined;

/** The process-wide database host: Docker, each database on its project's network. */
export function createDatabaseHost(): DatabaseHost {
  if (!host)
    host = new DockerDatabaseHost({
      network: projectNetworkPrefix(env.RISE_DOCKER_NETWORK, env.RISE_INSTANCE_ID),
      manager: env.RISE_INSTANCE_ID,
      subnetPool: env.RISE_DOCKER_SUBNET_POOL ?? null,
      attachContainers: env.RISE_DOCKER_ATTACH_CONTAINERS,
    });
  return host;
}
