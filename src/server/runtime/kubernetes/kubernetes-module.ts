import { z } from 'zod';
import type { Env } from '@/env';
import { appScheme } from '@/server/domains/proxy-access/app-session';
import { projectRegistryLogins } from '@/server/domains/registry-logins/project-registry-logins';
import { createPullAuth } from '@/server/registry/pull-auth';
import type { RuntimeModule } from '../runtime-module';
import { handshakeSigninUrl } from './ingress-auth';
import { loadKubeConfig } from './kube-client';
import { KubernetesRouter, type KubernetesRouterOptions } from './kubernetes-router';
import { KubernetesRuntime } from './kubernetes-runtime';

export type KubernetesRouterSettings = Pick<KubernetesRouterOptions, 'ingressClass' | 'tls' | 'auth'>;

export type KubernetesSettings = {
  inCluster: boolean;
  instance: string;
  namespaceFormat: string;
  namespace: string | null;
  runAsNonRoot: boolean;
  terminationGraceSeconds: number;
  router: KubernetesRouterSettings;
};

/** `host:port` (RISE_KUBE_RISE_SERVICE, whose form src/env.ts checks) as the router wants it. */
const serviceAddress = z
  .string()
  .regex(/^(.+):(\d{1,5})$/)
  .transform((value) => {
    const separator = value.lastIndexOf(':');
    return { host: value.slice(0, separator), port: Number(value.slice(separator + 1)) };
  });

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
  >,
): KubernetesRouterSettings {
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
      riseService: serviceAddress.parse(settings.RISE_KUBE_RISE_SERVICE),
    },
  };
}

/** Projects as Deployments in a Kubernetes cluster, routed by Ingresses to their Services. */
export const kubernetesModule: RuntimeModule<KubernetesSettings, KubernetesRuntime, 'kubernetes'> = {
  name: 'kubernetes',
  settings: (env: Env) => ({
    inCluster: env.RISE_KUBE_IN_CLUSTER,
    instance: env.RISE_INSTANCE_ID,
    namespaceFormat: env.RISE_KUBE_NAMESPACE_FORMAT,
    namespace: env.RISE_KUBE_NAMESPACE ?? null,
    runAsNonRoot: env.RISE_KUBE_RUN_AS_NON_ROOT,
    terminationGraceSeconds: Math.ceil(env.RISE_STOP_GRACE_MS / 1000),
    router: kubernetesRouterSettings(env),
  }),
  createRuntime: (settings) =>
    new KubernetesRuntime({
      // Loaded on first use: the client library loads only where Kubernetes is used.
      kubeConfig: () => loadKubeConfig({ inCluster: settings.inCluster }),
      instance: settings.instance,
      namespaceFormat: settings.namespaceFormat,
      namespace: settings.namespace,
      runAsNonRoot: settings.runAsNonRoot,
      // The cluster pulls through its own network: the outbound guard is not Rise's to apply there.
      pullAuth: createPullAuth({ guardOutbound: false, logins: projectRegistryLogins }),
      terminationGraceSeconds: settings.terminationGraceSeconds,
    }),
  createRouter: (runtime, settings) =>
    new KubernetesRouter({
      runtime,
      kubeConfig: () => loadKubeConfig({ inCluster: settings.inCluster }),
      ...settings.router,
    }),
  // Apps are reached through their Service: no host ports to allocate.
  engineSettings: { upstreamMode: 'network' },
  deleteProject: (runtime, project) => runtime.deleteProject(project),
};
