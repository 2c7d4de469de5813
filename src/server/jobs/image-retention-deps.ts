import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { env } from '@/env';
import { dockerImageEngine } from '@/server/docker/disk-engine';
import { diskHygieneRepo } from '@/server/domains/disk-hygiene/disk-hygiene.repo';
import type { ImageRetentionDeps } from '@/server/domains/disk-hygiene/image-retention.service';
import { findExecutable } from '@/server/platform/local-caddy';
import { registrySigningKey, tokenServiceConfig } from '@/server/registry/config';
import {
  type GarbageCollection,
  garbageCollectRegistry,
  garbageCollectRegistryInContainer,
} from '@/server/registry/registry-gc';
import { registryManifests } from '@/server/registry/registry-manifests';
import { signRegistryToken } from '@/server/registry/token-service';

const HOUR_MS = 60 * 60 * 1000;

/** Where the official registry image keeps its configuration (the compose stack mounts it there). */
const CONTAINER_REGISTRY_CONFIG = '/etc/docker/registry/config.yml';

/**
 * The registry configuration GC reads: RISE_REGISTRY_CONFIG, else the registry image's own path when GC
 * runs in its container, else the one `npm start` writes (<RISE_DATA_DIR>/registry/config.yml) when it
 * exists.
 */
export function registryGcConfigFile(): string | null {
  if (env.RISE_REGISTRY_CONFIG) return env.RISE_REGISTRY_CONFIG;
  if (env.RISE_REGISTRY_GC_CONTAINER) return CONTAINER_REGISTRY_CONFIG;
  const local = join(env.RISE_DATA_DIR, 'registry', 'config.yml');
  return existsSync(local) ? local : null;
}

/** Image retention as the cleanup job runs it, from env. */
export function imageRetentionDeps(docker: Dockerode): Omit<ImageRetentionDeps, 'withProjectLock'> {
  const builtin = env.RISE_REGISTRY_PROVIDER === 'builtin';
  const configFile = registryGcConfigFile();
  const container = env.RISE_REGISTRY_GC_CONTAINER;
  const binary =
    process.env.RISE_REGISTRY_BINARY ?? (container ? 'registry' : findExecutable('docker-registry'));
  const garbageCollect = (): (() => Promise<GarbageCollection>) | null => {
    if (!builtin || !configFile || !binary) return null;
    if (container) return () => garbageCollectRegistryInContainer(docker, { container, binary, configFile });
    return () => garbageCollectRegistry({ binary, configFile });
  };
  return {
    engine: dockerImageEngine(docker),
    keep: env.RISE_IMAGE_RETENTION,
    registryHost: env.RISE_REGISTRY_HOST,
    registry: builtin
      ? registryManifests({
          baseUrl: env.RISE_REGISTRY_INTERNAL_URL,
          tokenFor: async (repository, actions) =>
            (
              await signRegistryToken(
                { ...tokenServiceConfig(), signingKey: registrySigningKey, tokenTtlSeconds: 300 },
                {
                  subject: 'rise-image-retention',
                  access: [{ type: 'repository', name: repository, actions }],
                  notAfter: null,
                },
              )
            ).token,
        })
      : null,
    garbageCollect: garbageCollect(),
    // A push that died without its deployment moving on blocks GC no longer than builds may run.
    pushInProgress: () => diskHygieneRepo.pushInProgress(Math.max(2 * HOUR_MS, env.RISE_BUILD_TIMEOUT)),
  };
}
