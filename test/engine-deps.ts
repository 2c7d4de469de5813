import type Dockerode from 'dockerode';
import { resolveDeploymentEnvForRuntime } from '@/server/domains/deployments/deployment-env.service';
import { deploymentEngineRepos } from '@/server/domains/deployments/engine.repo';
import { systemClock } from '@/server/domains/deployments/engine-clock';
import type { EngineDeps, EngineSettings } from '@/server/domains/deployments/engine-deps';
import { testEngineSettings } from '@/server/domains/deployments/testing/test-engine-settings';
import { raiseNotification } from '@/server/domains/notifications/notification.service';
import { projectRegistryLogins } from '@/server/domains/registry-logins/project-registry-logins';
import { volumeMountsFor } from '@/server/domains/volumes/volume.service';
import { CaddyProxy } from '@/server/proxy/caddy-proxy';
import { createImageResolver } from '@/server/registry/image-resolver';
import { DockerRuntime } from '@/server/runtime/docker/docker-runtime';
import { type TestCaddy, testCaddyProxyConfig } from './caddy';
import { TEST_SUBNET_POOL } from './docker-networks';

/** Port 9 (discard): no web server behind forward-auth. */
const NO_WEB_SERVER_PORT = 9;

/** Rise's proxy on a test Caddy, with no web server behind forward-auth. */
export function testCaddyProxy(caddy: TestCaddy): CaddyProxy {
  return new CaddyProxy(testCaddyProxyConfig(caddy, NO_WEB_SERVER_PORT));
}

/**
 * The Docker runtime of test run `runId`: instance `test-<runId>`, host upstreams, everything labelled
 * `rise.test=<runId>`, project networks named after `network` and taken from the test pool.
 */
export function testDockerRuntime(runId: string, network: string): DockerRuntime {
  return new DockerRuntime({
    instance: `test-${runId}`,
    network,
    upstreamMode: 'host',
    extraLabels: { 'rise.test': runId },
    subnetPool: TEST_SUBNET_POOL,
  });
}

/**
 * What the deploy engine runs with in the worker, for a test: the Docker runtime given, Rise's proxy on
 * the test Caddy, slot ports from `portRange`, quick health checks and no crash restarts for a minute.
 */
export function testEngineDeps(options: {
  docker: Dockerode;
  runtime: DockerRuntime;
  caddy: TestCaddy;
  portRange: [number, number];
  settings?: Partial<EngineSettings>;
  hostPorts?: EngineDeps['hostPorts'];
}): EngineDeps {
  return {
    runtime: options.runtime,
    proxy: testCaddyProxy(options.caddy),
    images: createImageResolver({ docker: options.docker, logins: projectRegistryLogins }),
    resolveEnv: resolveDeploymentEnvForRuntime,
    resolveVolumes: volumeMountsFor,
    repos: deploymentEngineRepos,
    clock: systemClock,
    notify: raiseNotification,
    settings: testEngineSettings({
      portRange: options.portRange,
      baseDomain: 'localhost',
      health: { attempts: 100, intervalMs: 200, timeoutMs: 1000 },
      stopGraceMs: 1000,
      restartBackoff: { initialMs: 60_000, maxMs: 600_000 },
      ...options.settings,
    }),
    ...(options.hostPorts ? { hostPorts: options.hostPorts } : {}),
  };
}
