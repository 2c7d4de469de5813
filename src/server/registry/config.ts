import { env } from '@/env';
import { signCredential, WORKER_USERNAME } from './registry-credential';
import { ensureRegistrySigningKey } from './signing-key';
import { signRegistryToken, type TokenServiceConfig } from './token-service';

/** The registry signing key of this installation (RISE_DATA_DIR), created on first use. */
export const registrySigningKey = () => ensureRegistrySigningKey(env.RISE_DATA_DIR);

export function tokenServiceConfig(): TokenServiceConfig {
  return {
    service: env.RISE_REGISTRY_SERVICE,
    issuer: env.RISE_REGISTRY_ISSUER,
    tokenTtlSeconds: env.RISE_REGISTRY_TOKEN_TTL_SECONDS,
    signingKey: registrySigningKey,
  };
}

/** How long the worker's pull credentials live: enough for one pull. */
export const WORKER_CREDENTIAL_TTL_SECONDS = 300;

/** The repository of `project` in Rise's built-in registry (RISE_REGISTRY_HOST/<repository>). */
export const builtinRepositoryOf = (project: { name: string }) => project.name;

/**
 * The worker's credentials for deploying `project`: pull only, that project's repository in Rise's
 * registry, five minutes; signed like the push credentials users get, exchanged at Rise's token endpoint.
 */
export async function workerPullCredentials(project: {
  name: string;
}): Promise<{ username: string; password: string; expiresAt: Date }> {
  return signCredential(
    await registrySigningKey(),
    {
      subject: { kind: 'worker', project: project.name },
      repository: builtinRepositoryOf(project),
      actions: ['pull'],
      ttlSeconds: WORKER_CREDENTIAL_TTL_SECONDS,
    },
    env.RISE_REGISTRY_ISSUER,
  );
}

/**
 * The worker's credentials for pushing the image a server build made of one deployment of `project`:
 * that project's repository only, pull and push, five minutes (fetched again right before the push).
 */
export async function workerPushCredentials(
  project: { name: string },
  deploymentId: string,
): Promise<{ username: string; password: string; expiresAt: Date }> {
  return signCredential(
    await registrySigningKey(),
    {
      subject: { kind: 'build', project: project.name, deploymentId },
      repository: builtinRepositoryOf(project),
      actions: ['pull', 'push'],
      ttlSeconds: WORKER_CREDENTIAL_TTL_SECONDS,
    },
    env.RISE_REGISTRY_ISSUER,
  );
}

/**
 * The bearer token the worker presents to Rise's registry to read `project`'s manifests: pull only,
 * that project's repository, signed here with the registry signing key. The worker holds that key
 * anyway (it signs the pull credentials above), so exchanging a credential at the token endpoint
 * would add a dependency (the web server, reachable under RISE_URL from the worker) and no check;
 * the registry verifies this token exactly as one from the endpoint.
 */
export async function workerPullToken(
  project: { name: string },
  config: TokenServiceConfig = tokenServiceConfig(),
): Promise<string> {
  const { token } = await signRegistryToken(
    { ...config, tokenTtlSeconds: Math.min(config.tokenTtlSeconds, WORKER_CREDENTIAL_TTL_SECONDS) },
    {
      subject: WORKER_USERNAME,
      access: [{ type: 'repository', name: builtinRepositoryOf(project), actions: ['pull'] }],
      notAfter: null,
    },
  );
  return token;
}
