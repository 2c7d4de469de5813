import { env } from '@/env';
import { DockerDatabaseHost } from './docker/docker-database-host';
import type { DatabaseHost } from './types';

let host: DatabaseHost | undefined;

/** The process-wide database host: Docker, on the network app containers join. */
export function createDatabaseHost(): DatabaseHost {
  if (!host)
    host = new DockerDatabaseHost({ network: env.RISE_DOCKER_NETWORK, manager: env.RISE_INSTANCE_ID });
  return host;
}
