import { join } from 'node:path';
import { TEST_SUBNET_POOL } from './docker-networks';
import { claimPortBlock } from './port-blocks';
import type { RegistryTokenAuth } from './registry';

/**
 * Worker settings that keep a test file's apps apart from every other file's running at the same time:
 * its own Caddy, Docker network prefix, instance label (what cleanup removes), subnet pool and block of
 * slot ports.
 */
export async function isolatedEngineEnv(
  caddy: { adminUrl: string; httpPort: number },
  runId: string,
): Promise<Record<string, string>> {
  const { first } = await claimPortBlock();
  return {
    RISE_CADDY_ADMIN_URL: caddy.adminUrl,
    RISE_PROXY_HTTP_PORT: String(caddy.httpPort),
    RISE_PROXY_BIND_HOST: '127.0.0.1',
    RISE_DOCKER_NETWORK: `rise-test-${runId}`,
    RISE_INSTANCE_ID: `test-${runId}`,
    RISE_DOCKER_SUBNET_POOL: TEST_SUBNET_POOL,
    RISE_APP_PORT_RANGE: `${first}-${first + 99}`,
  };
}

/** Token auth of a test registry against the Rise web server at `webUrl` whose data dir is `dataDir`. */
export function riseRegistryTokenAuth(webUrl: string, dataDir: string): RegistryTokenAuth {
  return {
    realm: `${webUrl}/api/registry/token`,
    service: 'rise-registry',
    issuer: 'rise',
    rootCertBundle: join(dataDir, 'registry-certs', 'rise-registry.crt'),
  };
}
