import { type Env, env as processEnv } from '@/env';
import { platformRepo } from '@/server/domains/platform/platform.repo';
import type { HealthComponent, HealthProbe } from '@/server/domains/platform/platform-health.schema';
import { createProxy } from '@/server/proxy';
import { createRuntime } from '@/server/runtime';

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** The live probes behind the admin page's health panel: the real database, Docker, registry and Caddy. */
export function platformHealthProbes(env: Env = processEnv): Record<HealthComponent, HealthProbe> {
  return {
    database: async () => `PostgreSQL ${await platformRepo.databaseVersion()}`,
    runtime: async () => `Docker: ${plural((await createRuntime('docker', env).list()).length, 'instance')}`,
    registry: async () => {
      if (env.RISE_REGISTRY_PROVIDER === 'ecr') return 'Amazon ECR (not probed)';
      const response = await fetch(`http://${env.RISE_REGISTRY_HOST}/v2/`, {
        signal: AbortSignal.timeout(2500),
      });
      // The registry asks for a token (401) when token auth is on, which is how Rise runs it.
      if (response.status !== 200 && response.status !== 401)
        throw new Error(`${env.RISE_REGISTRY_HOST} answered HTTP ${response.status}`);
      return `${env.RISE_REGISTRY_HOST} answering`;
    },
    proxy: async () => `Caddy: ${plural((await createProxy(env).listRoutes()).length, 'route')}`,
  };
}
