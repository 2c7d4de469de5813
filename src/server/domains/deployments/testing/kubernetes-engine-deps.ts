import { createHash } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { kubernetesRouterSettings } from '@/server/runtime/kubernetes/kubernetes-module';
import { KubernetesRouter } from '@/server/runtime/kubernetes/kubernetes-router';
import { KubernetesRuntime } from '@/server/runtime/kubernetes/kubernetes-runtime';
import type { FakeKubernetesApi } from '../../../../../test/fake-kubernetes-api';
import { resolveDeploymentEnvForRuntime } from '../deployment-env.service';
import { deploymentEngineRepos } from '../engine.repo';
import { systemClock } from '../engine-clock';
import type { EngineDeps, EngineSettings } from '../engine-deps';

export const digestOf = (image: string) => `sha256:${createHash('sha256').update(image).digest('hex')}`;

/**
 * The deploy engine's dependencies as the Kubernetes integration tests use them: the real runtime and
 * router against `fake` (the fake API server), PostgreSQL repos, and a registry boundary that answers
 * a fixed digest per image.
 */
export function kubernetesEngineDeps(
  fake: FakeKubernetesApi,
  runId: string,
  options: { settings?: Partial<EngineSettings>; notify?: EngineDeps['notify'] } = {},
): { deps: EngineDeps; runtime: KubernetesRuntime } {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions(fake.kubeConfigOptions());
  const extraLabels = { 'rise.test': runId };
  const runtime = new KubernetesRuntime({ kubeConfig, instance: `test-${runId}`, extraLabels });
  const routing = kubernetesRouterSettings({
    RISE_URL: 'https://rise.example.com',
    RISE_TLS_MODE: 'acme',
    RISE_KUBE_INGRESS_CLASS: 'nginx',
    RISE_KUBE_TLS_SECRET: undefined,
    RISE_KUBE_CERT_MANAGER_ISSUER: 'letsencrypt',
    RISE_KUBE_AUTH_URL: undefined,
    RISE_KUBE_RISE_SERVICE: 'rise-web.rise.svc.cluster.local:80',
  });
  const deps: EngineDeps = {
    runtime,
    proxy: new KubernetesRouter({ runtime, kubeConfig, extraLabels, ...routing }),
    images: {
      resolve: async (image) => ({ digest: digestOf(image) }),
      pinned: async (image, digest) => `${image.replace(/:[^/:]+$/, '')}@${digest}`,
    },
    resolveEnv: resolveDeploymentEnvForRuntime,
    repos: deploymentEngineRepos,
    clock: systemClock,
    ...(options.notify ? { notify: options.notify } : {}),
    deleteProject: (project) => runtime.deleteProject(project),
    settings: {
      upstreamMode: 'network',
      portRange: [20000, 20099],
      baseDomain: 'apps.example.com',
      health: { attempts: 200, intervalMs: 25, timeoutMs: 1000 },
      settleMs: 0,
      releaseTimeoutMs: 60_000,
      stopGraceMs: 1000,
      stuckAfterMs: 60_000,
      restartBackoff: { initialMs: 60_000, maxMs: 600_000 },
      crashLoop: { restarts: 3, stableAfterMs: 600_000 },
      ...options.settings,
    },
  };
  return { deps, runtime };
}
