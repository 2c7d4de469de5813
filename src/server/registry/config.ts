import { env } from '@/env';
import { WORKER_USERNAME, workerPassword } from './registry-credential';
import { ensureRegistrySigningKey } from './signing-key';
import type { TokenServiceConfig } from './token-service';

/** The registry signing key of this installation (RISE_DATA_DIR), created on first use. */
export const registrySigningKey = () => ensureRegistrySigningKey(env.RISE_DATA_DIR);

export function tokenServiceConfig(): TokenServiceConfig {
  return {
    service: env.RISE_REGISTRY_SERVICE,
    issuer: env.RISE_REGISTRY_ISSUER,
    tokenTtlSeconds: env.RISE_REGISTRY_TOKEN_TTL_SECONDS,
    workerPassword: env.RISE_REGISTRY_WORKER_PASSWORD,
    signingKey: registrySigningKey,
  };
}

/** The worker's pull credentials for the built-in registry (user `rise-worker`). */
export async function workerRegistryCredentials(): Promise<{ username: string; password: string }> {
  return {
    username: WORKER_USERNAME,
    password: workerPassword(await registrySigningKey(), env.RISE_REGISTRY_WORKER_PASSWORD),
  };
}
