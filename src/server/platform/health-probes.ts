import { type Env, env as processEnv } from '@/env';
import { platformRepo } from '@/server/domains/platform/platform.repo';
import type { HealthComponent, HealthProbe } from '@/server/domains/platform/platform-health.schema';
import {
  describeRegistryHealth,
  type RegistryExpectation,
  type RegistryHealth,
  type RegistryObservation,
} from '@/server/domains/platform/platform-health-registry.service';
import { runtimeHealthFromWorkers } from '@/server/domains/platform/worker-heartbeat.service';
import { createProxy } from '@/server/proxy';
import { ensureRegistrySigningKey } from '@/server/registry/signing-key';
import { signRegistryToken } from '@/server/registry/token-service';
import { defaultRegistryInternalUrl } from './internal-addresses';

const REGISTRY_TIMEOUT_MS = 2500;

/** The code of a failed fetch (ECONNREFUSED, ENOTFOUND, TIMEOUT), from undici's `cause`. */
function fetchFailureCode(error: unknown): string | null {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'TIMEOUT';
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
  return cause?.code ?? cause?.errors?.find((inner) => inner.code)?.code ?? null;
}

/**
 * What Rise's registry answers on /v2/, without and with a token Rise signs (granting nothing), asked
 * where this process reaches it (RISE_REGISTRY_INTERNAL_URL: registry:5000 in the compose stack).
 */
export async function probeBuiltinRegistry(env: Env): Promise<RegistryHealth> {
  const key = await ensureRegistrySigningKey(env.RISE_DATA_DIR);
  const internal = env.RISE_REGISTRY_INTERNAL_URL;
  const expected: RegistryExpectation = {
    host: env.RISE_REGISTRY_HOST,
    ...(internal !== defaultRegistryInternalUrl(env.RISE_REGISTRY_HOST) ? { internalUrl: internal } : {}),
    realm: `${env.RISE_URL}/api/registry/token`,
    service: env.RISE_REGISTRY_SERVICE,
    issuer: env.RISE_REGISTRY_ISSUER,
    certificatePath: key.certificatePath,
  };
  const url = `${internal}/v2/`;
  let observed: RegistryObservation;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(REGISTRY_TIMEOUT_MS) });
    const challenge = response.headers.get('www-authenticate');
    let statusWithRiseToken: number | null = null;
    if (response.status === 401) {
      const { token } = await signRegistryToken(
        {
          service: env.RISE_REGISTRY_SERVICE,
          issuer: env.RISE_REGISTRY_ISSUER,
          tokenTtlSeconds: 60,
          signingKey: async () => key,
        },
        { subject: 'rise-health-check', access: [], notAfter: null },
      );
      const withToken = await fetch(url, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(REGISTRY_TIMEOUT_MS),
      });
      statusWithRiseToken = withToken.status;
    }
    observed = { kind: 'answered', status: response.status, challenge, statusWithRiseToken };
  } catch (error) {
    const code = fetchFailureCode(error);
    observed = {
      kind: 'unreachable',
      code,
      message:
        code === 'TIMEOUT'
          ? `${REGISTRY_TIMEOUT_MS / 1000} s`
          : ((error as { cause?: Error }).cause?.message ?? (error as Error).message),
    };
  }
  return describeRegistryHealth(expected, observed);
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * The live probes behind the admin page's health panel, each from where that part is used: the
 * database, registry and Caddy from this (web) process, the runtime from the workers' heartbeats
 * (the worker deploys through the Docker socket; the web container has none).
 */
export function platformHealthProbes(env: Env = processEnv): Record<HealthComponent, HealthProbe> {
  return {
    database: async () => `PostgreSQL ${await platformRepo.databaseVersion()}`,
    runtime: async () => {
      const health = await runtimeHealthFromWorkers();
      if (!health.ok) throw new Error(health.detail);
      return health.detail;
    },
    registry: async () => {
      if (env.RISE_REGISTRY_PROVIDER === 'ecr') return 'Amazon ECR (not probed)';
      const health = await probeBuiltinRegistry(env);
      if (!health.ok) throw new Error(health.detail);
      return health.detail;
    },
    proxy: async () => `Caddy: ${plural((await createProxy(env).listRoutes()).length, 'route')}`,
  };
}
