import type { Env } from '@/env';
import { formerNetworkPrefix, projectNetworkPrefix } from '@/server/docker/labels';
import { projectRegistryLogins } from '@/server/domains/registry-logins/project-registry-logins';
import { caddyProxyConfig } from '@/server/proxy';
import { CaddyProxy, type CaddyProxyConfig } from '@/server/proxy/caddy-proxy';
import { createPullAuth } from '@/server/registry/pull-auth';
import type { RuntimeModule } from '../runtime-module';
import { DockerRuntime } from './docker-runtime';

export type DockerSettings = {
  instance: string;
  network: string;
  formerNetwork: string | null;
  subnetPool: string | null;
  attachContainers: readonly string[];
  upstreamMode: 'host' | 'network';
  /** Rise's Caddy, which routes to Docker's instances. */
  proxy: CaddyProxyConfig;
};

/** Projects as containers of this machine's Docker engine, routed by Rise's Caddy. */
export const dockerModule: RuntimeModule<DockerSettings, DockerRuntime, 'docker'> = {
  name: 'docker',
  settings: (env: Env) => ({
    instance: env.RISE_INSTANCE_ID,
    network: projectNetworkPrefix(env.RISE_DOCKER_NETWORK, env.RISE_INSTANCE_ID),
    formerNetwork: formerNetworkPrefix(env.RISE_DOCKER_NETWORK, env.RISE_INSTANCE_ID),
    subnetPool: env.RISE_DOCKER_SUBNET_POOL ?? null,
    attachContainers: env.RISE_DOCKER_ATTACH_CONTAINERS ?? [],
    upstreamMode: env.RISE_PROXY_UPSTREAM_MODE,
    proxy: caddyProxyConfig(env),
  }),
  createRuntime: (settings) =>
    new DockerRuntime({
      instance: settings.instance,
      network: settings.network,
      formerNetwork: settings.formerNetwork,
      subnetPool: settings.subnetPool,
      attachContainers: settings.attachContainers,
      upstreamMode: settings.upstreamMode,
      // This machine's engine pulls: registries are reached only once the outbound guard accepts them.
      pullAuth: createPullAuth({ guardOutbound: true, logins: projectRegistryLogins }),
    }),
  createRouter: (_runtime, settings) => new CaddyProxy(settings.proxy),
  hostPorts: (runtime) => runtime.hostPorts(),
  // Its reconcile also clears Caddy routes and containers of projects that moved to another runtime,
  // and the networks of deleted projects.
  alwaysReconcile: true,
};
