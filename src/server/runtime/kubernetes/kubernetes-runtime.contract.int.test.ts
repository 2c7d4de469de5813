import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'vitest';
import { FakeKubernetesApi } from '../../../../test/fake-kubernetes-api';
import { runtimeContract } from '../runtime-contract';
import { KubernetesRuntime } from './kubernetes-runtime';
import { LABELS } from './labels';

// The Runtime contract against the fake Kubernetes API server (test/fake-kubernetes-api.ts): the real
// @kubernetes/client-node over HTTP; every object written is validated against the Kubernetes
// OpenAPI schemas, and the suite ends by asserting that the server refused nothing.

const digest = (seed: string) => `sha256:${seed.repeat(64).slice(0, 64)}`;

runtimeContract('kubernetes (fake API server)', async () => {
  const runId = randomBytes(4).toString('hex');
  const fake = await FakeKubernetesApi.start({ token: `token-${runId}` });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions(fake.kubeConfigOptions());
  const extraLabels = { 'rise.test': runId };
  const runtime = new KubernetesRuntime({ kubeConfig, instance: `test-${runId}`, extraLabels });
  const images = {
    healthy: `registry.example.com/apps/web@${digest('a')}`,
    // The fake kubelet's default failure rules match `crash` and `missing` in the image.
    crashing: `registry.example.com/apps/crash@${digest('b')}`,
    'missing-image': `registry.example.com/apps/missing@${digest('c')}`,
  };
  return {
    runtime,
    otherInstance: new KubernetesRuntime({ kubeConfig, instance: `other-${runId}`, extraLabels }),
    async spec(app, instance) {
      return {
        ...instance,
        image: images[app],
        port: 8080,
        env: { GREETING: 'hello' },
        cpuLimit: 0.25,
        memoryLimitMb: 128,
        hostPort: null,
        healthPath: '/health',
      };
    },
    async emitLogLine(spec, text) {
      fake.appendLog(
        { namespace: runtime.namespaceFor(spec.project), labels: { [LABELS.deployment]: spec.deploymentId } },
        `GET /${text} 200`,
      );
    },
    healthCheck: { path: '/health', timeoutMs: 1_000, intervalMs: 50, attempts: 100 },
    failures: {
      crashing: /^CrashLoopBackOff: back-off/,
      missingImage: /^ImagePullBackOff: Back-off pulling image/,
    },
    // The fake API server, like a cluster without a metrics server, serves no metrics.k8s.io.
    reportsStats: false,
    async cleanup() {
      await fake.stop();
      expect(fake.rejections).toEqual([]);
    },
  };
});
