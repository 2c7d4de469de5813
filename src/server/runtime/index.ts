import { type Env, env } from '@/env';
import { formerNetworkPrefix, projectNetworkPrefix } from '@/server/docker/labels';
import { appScheme } from '@/server/domains/proxy-access/app-session';
import { AppError } from '@/server/errors';
import { createPullAuth } from '@/server/registry/pull-auth';
import { DockerRuntime } from './docker/docker-runtime';
import { handshakeSigninUrl } from './kubernetes/ingress-auth';
import { loadKubeConfig } from './kubernetes/kube-client';
import { KubernetesRouter, type KubernetesRouterOptions } from './kubernetes/kubernetes-router';
import { KubernetesRuntime } from './kubernetes/kubernetes-runtime';
import type { Runtime } from './types';

/** The environment values the runtimes read (RISE_DOCKER_*, RISE_PROXY_UPSTREAM_MODE, RISE_KUBE_*). */
export type RuntimeSettings = {
  RISE_INSTANCE_ID: string;
  RISE_DOCKER_NETWORK?: string;
  RISE_PROXY_UPSTREAM_MODE: 'host' | 'network';
  RISE_DOCKER_SUBNET_POOL?: string;
  RISE_DOCKER_ATTACH_CONTAINERS?: readonly string[];
} & Pick<
  Env,
  'RISE_KUBE_IN_CLUSTER' | 'RISE_KUBE_NAMESPACE_FORMAT' | 'RISE_KUBE_NAMESPACE' | 'RISE_KUBE_RUN_AS_NON_ROOT'
>;

const runtimes = new Map<string, Runtime>();

/**
 * The runtime a project runs on (`project.runtime`, e.g. 'docker'); one shared instance per runtime
 * and settings. Domains receive the result as an argument and never import an adapter.
 */
export function createRuntime(
  config: string | { runtime: string },
  settings: RuntimeSettings = env,
): Runtime {
  const name = typeof config === 'string' ? config : config.runtime;
  const key = `${name}\0${settings.RISE_INSTANCE_ID}\0${settings.RISE_DOCKER_NETWORK ?? ''}\0${settings.RISE_PROXY_UPSTREAM_MODE}\0${settings.RISE_KUBE_IN_CLUSTER}\0${settings.RISE_KUBE_NAMESPACE_FORMAT}\0${settings.RISE_KUBE_NAMESPACE ?? ''}\0${settings.RISE_KUBE_RUN_AS_NON_ROOT}\0${settings.RISE_DOCKER_SUBNET_POOL ?? ''}\0${settings.RISE_DOCKER_ATTACH_CONTAINERS?.join(',') ?? ''}`;
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = instantiate(name, settings);
    runtimes.set(key, runtime);
  }
  return runtime;
}

/** Ingress settings from the environment (RISE_KUBE_INGRESS_CLASS, RISE_KUBE_TLS_SECRET, …). */
export function kubernetesRouterSettings(
  settings: Pick<
    Env,
    | 'RISE_URL'
    | 'RISE_TLS_MODE'
    | 'RISE_KUBE_INGRESS_CLASS'
    | 'RISE_KUBE_TLS_SECRET'
    | 'RISE_KUBE_CERT_MANAGER_ISSUER'
    | 'RISE_KUBE_AUTH_URL'
    | 'RISE_KUBE_RISE_SERVICE'
  > = env,
): Pick<KubernetesRouterOptions, 'ingressClass' | 'tls' | 'auth'> {
  const tls =
    settings.RISE_TLS_MODE === 'off'
      ? null
      : settings.RISE_KUBE_TLS_SECRET
        ? { secretName: settings.RISE_KUBE_TLS_SECRET }
        : settings.RISE_KUBE_CERT_MANAGER_ISSUER
          ? { clusterIssuer: settings.RISE_KUBE_CERT_MANAGER_ISSUER }
          : null;
  return {
    ingressClass: settings.RISE_KUBE_INGRESS_CLASS ?? null,
    tls,
    auth: {
      url: settings.RISE_KUBE_AUTH_URL ?? `${settings.RISE_URL}/api/proxy/auth`,
      // The scheme is literal: ingress-nginx parses this as a URL (a leading `$scheme` fails) and
      // appends `rd=<the refused URL>`; nginx expands $http_host to the app's host.
      signinUrl: handshakeSigninUrl(appScheme(settings)),
      riseService: riseServiceAddress(settings.RISE_KUBE_RISE_SERVICE),
    },
  };
}

/** `host:port` (RISE_KUBE_RISE_SERVICE, validated by src/env.ts) as the router wants it. */
function riseServiceAddress(value: string): { host: string; port: number } {
  const separator = value.lastIndexOf(':');
  return { host: value.slice(0, separator), port: Number(value.slice(separator + 1)) };
}

/** Routing for projects on Kubernetes: Ingresses to the Services of `runtime`. */
export function createKubernetesRouter(
  runtime: KubernetesRuntime,
  settings: Pick<Env, 'RISE_KUBE_IN_CLUSTER'> & Parameters<typeof kubernetesRouterSettings>[0] = env,
): KubernetesRouter {
  return new KubernetesRouter({
    runtime,
    kubeConfig: () => loadKubeConfig({ inCluster: settings.RISE_KUBE_IN_CLUSTER }),
    ...kubernetesRouterSettings(settings),
  });
}

/** Pull credentials of a project: Rise's registry, and its own logins to other registries. */
const pullAuthFor = (guardOutbound: boolean) => createPullAuth({ guardOutbound });

function instantiate(name: string, settings: RuntimeSettings): Runtime {
  switch (name) {
    case 'docker':
      return new DockerRuntime({
        instance: settings.RISE_INSTANCE_ID,
        pullAuth: pullAuthFor(true),
        network: projectNetworkPrefix(settings.RISE_DOCKER_NETWORK, settings.RISE_INSTANCE_ID),
        formerNetwork: formerNetworkPrefix(settings.RISE_DOCKER_NETWORK, settings.RISE_INSTANCE_ID),
        subnetPool: settings.RISE_DOCKER_SUBNET_POOL ?? null,
        attachContainers: settings.RISE_DOCKER_ATTACH_CONTAINERS ?? [],
        upstreamMode: settings.RISE_PROXY_UPSTREAM_MODE,
      });
    case 'kubernetes':
      return new KubernetesRuntime({
        // Loaded on first use: the client library loads only where Kubernetes is used.
        kubeConfig: () => loadKubeConfig({ inCluster: settings.RISE_KUBE_IN_CLUSTER }),
        instance: settings.RISE_INSTANCE_ID,
        namespaceFormat: settings.RISE_KUBE_NAMESPACE_FORMAT,
        namespace: settings.RISE_KUBE_NAMESPACE ?? null,
        runAsNonRoot: settings.RISE_KUBE_RUN_AS_NON_ROOT,
        pullAuth: pullAuthFor(false),
        terminationGraceSeconds: Math.ceil(env.RISE_STOP_GRACE_MS / 1000),
      });
    default:
      throw new AppError(
        'PRECONDITION_FAILED',
        `unknown runtime ${JSON.stringify(name)}: expected 'docker' or 'kubernetes'`,
      );
  }
}
