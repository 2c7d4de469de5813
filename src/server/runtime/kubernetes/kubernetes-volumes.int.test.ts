import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKubernetesApi, type KubeObject } from '../../../../test/fake-kubernetes-api';
import type { HealthCheck, InstanceSpec } from '../types';
import { KubernetesRuntime, type KubernetesRuntimeOptions } from './kubernetes-runtime';

// Project volumes on Kubernetes against the fake API server: a PersistentVolumeClaim per volume,
// mounted into the app's pods, kept across deployments, deleted with the volume or the project. The
// fake's scheduler leaves a pod whose claim is missing Pending, as a real one does.

const runId = randomBytes(3).toString('hex');
const check: HealthCheck = { path: '/health', timeoutMs: 1_000, intervalMs: 25, attempts: 200 };
const APP = `registry.example.com/apps/web@sha256:${'a'.repeat(64)}`;
let sequence = 0;

function spec(project: string, overrides: Partial<InstanceSpec> = {}): InstanceSpec {
  sequence += 1;
  return {
    project,
    deploymentId: `20261202-2200-${String(sequence).padStart(4, 'a')}`,
    slot: sequence % 2 === 0 ? 'b' : 'a',
    image: APP,
    port: 8080,
    env: {},
    cpuLimit: null,
    memoryLimitMb: null,
    hostPort: null,
    healthPath: '/health',
    volumes: [
      { name: 'data', mountPath: '/data', size: '1Gi' },
      { name: 'cache', mountPath: '/var/cache/app', size: '512Mi' },
    ],
    ...overrides,
  };
}

describe('project volumes on Kubernetes (fake API server)', () => {
  let fake: FakeKubernetesApi;
  let kubeConfig: KubeConfig;
  const extraLabels = { 'rise.test': runId };
  const make = (options: Partial<KubernetesRuntimeOptions> = {}) =>
    new KubernetesRuntime({ kubeConfig, instance: 'prod', extraLabels, ...options });

  beforeAll(async () => {
    fake = await FakeKubernetesApi.start({ token: `token-${runId}` });
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions(fake.kubeConfigOptions());
  });

  afterAll(async () => {
    await fake?.stop();
    expect(fake.rejections).toEqual([]);
  });

  it('creates a claim per volume, mounts them, keeps them for the next deployment and deletes one on removeVolume', async () => {
    const runtime = make();
    const first = spec('shop');
    await runtime.start(first);
    expect(await runtime.waitHealthy(first, check)).toEqual({ healthy: true });

    const data = fake.get('persistentvolumeclaims', 'rise-shop', 'vol.shop.data') as KubeObject;
    expect(data.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'rise',
      'rise.dev/instance': 'prod',
      'rise.dev/project': 'shop',
      'rise.dev/volume': 'data',
      'rise.test': runId,
    });
    expect(data.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    });
    expect(fake.get('persistentvolumeclaims', 'rise-shop', 'vol.shop.cache')?.spec.resources).toEqual({
      requests: { storage: '512Mi' },
    });

    const pod = (fake.get('deployments', 'rise-shop', `shop-${first.deploymentId}`) as KubeObject).spec
      .template;
    expect(pod.metadata.labels['rise.dev/mounts-volumes']).toBe('true');
    expect(pod.spec.volumes).toEqual([
      { name: 'vol-data', persistentVolumeClaim: { claimName: 'vol.shop.data' } },
      { name: 'vol-cache', persistentVolumeClaim: { claimName: 'vol.shop.cache' } },
    ]);
    expect(pod.spec.containers[0].volumeMounts).toEqual([
      { name: 'vol-data', mountPath: '/data' },
      { name: 'vol-cache', mountPath: '/var/cache/app' },
    ]);
    // ReadWriteOnce: the next version's pod is scheduled on the node of the one it replaces.
    expect(pod.spec.affinity).toEqual({
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: {
              matchLabels: {
                'app.kubernetes.io/managed-by': 'rise',
                'rise.dev/instance': 'prod',
                'rise.dev/project': 'shop',
                'rise.dev/mounts-volumes': 'true',
              },
            },
            topologyKey: 'kubernetes.io/hostname',
          },
        ],
      },
    });

    const second = spec('shop');
    await runtime.start(second);
    expect(await runtime.waitHealthy(second, check)).toEqual({ healthy: true });
    expect(fake.get('persistentvolumeclaims', 'rise-shop', 'vol.shop.data')?.metadata.uid).toBe(
      data.metadata.uid,
    );

    await runtime.remove('shop', first.deploymentId);
    await runtime.remove('shop', second.deploymentId);
    await runtime.removeVolume('shop', 'cache');
    expect(fake.get('persistentvolumeclaims', 'rise-shop', 'vol.shop.cache')).toBeUndefined();
    expect(fake.get('persistentvolumeclaims', 'rise-shop', 'vol.shop.data')).toBeDefined();
    await runtime.removeVolume('shop', 'cache');
  });

  it('an app without volumes gets no claim, no mount and no affinity', async () => {
    const runtime = make();
    const app = spec('plain', { volumes: [] });
    await runtime.start(app);
    expect(await runtime.waitHealthy(app, check)).toEqual({ healthy: true });
    expect(fake.list('persistentvolumeclaims', 'rise-plain')).toEqual([]);
    const pod = (fake.get('deployments', 'rise-plain', `plain-${app.deploymentId}`) as KubeObject).spec
      .template;
    expect(pod.spec.volumes).toBeUndefined();
    expect(pod.spec.affinity).toBeUndefined();
    expect(pod.metadata.labels['rise.dev/mounts-volumes']).toBeUndefined();
  });

  it('in a shared namespace, deleting a project deletes its claims and no other project’s', async () => {
    const runtime = make({ namespace: `shared-${runId}` });
    const namespace = `shared-${runId}`;
    fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const shop = spec('shop');
    const blog = spec('blog');
    for (const app of [shop, blog]) {
      await runtime.start(app);
      expect(await runtime.waitHealthy(app, check)).toEqual({ healthy: true });
    }
    const names = () =>
      fake
        .list('persistentvolumeclaims', namespace)
        .map((claim) => claim.metadata.name)
        .sort();
    expect(names()).toEqual(['vol.blog.cache', 'vol.blog.data', 'vol.shop.cache', 'vol.shop.data']);
    await runtime.deleteProject('shop');
    expect(names()).toEqual(['vol.blog.cache', 'vol.blog.data']);
  });

  it('refuses a claim of the same name that another installation owns', async () => {
    const runtime = make();
    // The project's namespace is this installation's; a claim in it is another's.
    await runtime.start(spec('other', { volumes: [] }));
    fake.seed({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: 'vol.other.data',
        namespace: 'rise-other',
        labels: {
          'app.kubernetes.io/managed-by': 'rise',
          'rise.dev/instance': 'staging',
          'rise.dev/project': 'other',
        },
      },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    await expect(runtime.start(spec('other'))).rejects.toThrow(
      /PersistentVolumeClaim rise-other\/vol\.other\.data exists but .*not touching it/,
    );
    await expect(runtime.removeVolume('other', 'data')).rejects.toThrow(/not touching it/);
    expect(fake.get('persistentvolumeclaims', 'rise-other', 'vol.other.data')).toBeDefined();
  });
});
