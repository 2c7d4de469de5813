import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKubernetesApi, type KubeObject } from '../../../../test/fake-kubernetes-api';
import { collectLogLines as collect } from '../../../../test/log-lines';
import { type HealthCheck, type InstanceSpec, processOf, replicaOf } from '../types';
import { KubernetesRuntime } from './kubernetes-runtime';

// Processes and replicas on Kubernetes against the fake API server: one Deployment per process of a
// deployment (web keeps its name, Service and probes; a worker has none), replicas set and patched,
// every pod listed as one replica of its process.

const runId = randomBytes(3).toString('hex');
const check: HealthCheck = { path: '/health', timeoutMs: 1_000, intervalMs: 25, attempts: 200 };
const APP = `registry.example.com/apps/web@sha256:${'c'.repeat(64)}`;
let sequence = 0;

function deploymentId(): string {
  sequence += 1;
  return `20261203-0300-${String(sequence).padStart(4, 'a')}`;
}

function spec(project: string, id: string, overrides: Partial<InstanceSpec> = {}): InstanceSpec {
  return {
    project,
    deploymentId: id,
    slot: 'a',
    image: APP,
    port: 8080,
    env: { GREETING: 'hi' },
    cpuLimit: null,
    memoryLimitMb: null,
    hostPort: null,
    healthPath: '/health',
    ...overrides,
  };
}

const worker = (project: string, id: string, overrides: Partial<InstanceSpec> = {}) =>
  spec(project, id, { process: 'worker', command: ['node', 'worker.js'], ...overrides });

describe('processes and replicas on Kubernetes (fake API server)', () => {
  let fake: FakeKubernetesApi;
  let runtime: KubernetesRuntime;

  beforeAll(async () => {
    fake = await FakeKubernetesApi.start({
      token: `token-${runId}`,
      // Each pod says which process it runs and its name, so a log tells whose it is.
      logs: (pod) => [`${pod.metadata.labels?.['rise.dev/process'] ?? '?'} ${pod.metadata.name}`],
    });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions(fake.kubeConfigOptions());
    runtime = new KubernetesRuntime({ kubeConfig, instance: 'prod', extraLabels: { 'rise.test': runId } });
  });

  afterAll(async () => {
    await fake?.stop();
    expect(fake.rejections).toEqual([]);
  });

  const podsOf = (namespace: string, id: string, process: string) =>
    fake
      .list('pods', namespace, { 'rise.dev/deployment': id, 'rise.dev/process': process })
      .filter((pod) => !pod.metadata.deletionTimestamp)
      .map((pod) => pod.metadata.name)
      .sort();

  it('runs web ×3 and worker ×1 as two Deployments; the Service selects only web pods; each pod is one replica', async () => {
    const id = deploymentId();
    const web = spec('shop', id, { replicas: 3 });
    await runtime.start(web);
    await runtime.start(worker('shop', id));
    expect(await runtime.waitHealthy(web, check)).toEqual({ healthy: true });
    expect(await runtime.waitHealthy(worker('shop', id), check)).toEqual({ healthy: true });

    const webDeployment = fake.get('deployments', 'rise-shop', `shop-${id}`) as KubeObject;
    const workerDeployment = fake.get('deployments', 'rise-shop', `shop-${id}--worker`) as KubeObject;
    expect(webDeployment.spec.replicas).toBe(3);
    expect(workerDeployment.spec.replicas).toBe(1);
    expect(webDeployment.spec.selector.matchLabels['rise.dev/process']).toBe('web');
    expect(workerDeployment.spec.selector.matchLabels['rise.dev/process']).toBe('worker');
    expect(workerDeployment.metadata.labels?.['rise.dev/process']).toBe('worker');
    const webContainer = webDeployment.spec.template.spec.containers[0];
    const workerContainer = workerDeployment.spec.template.spec.containers[0];
    expect(webContainer.readinessProbe.httpGet.path).toBe('/health');
    // A worker listens on nothing: no port, no probes; its own command and env Secret.
    expect(workerContainer.ports).toBeUndefined();
    expect(workerContainer.readinessProbe).toBeUndefined();
    expect(workerContainer.livenessProbe).toBeUndefined();
    expect(workerContainer.startupProbe).toBeUndefined();
    expect(workerContainer.command).toEqual(['node', 'worker.js']);
    expect(workerContainer.envFrom).toEqual([{ secretRef: { name: `shop-${id}--worker-env` } }]);
    expect(fake.get('secrets', 'rise-shop', `shop-${id}--worker-env`)?.metadata.labels).toMatchObject({
      'rise.dev/deployment': id,
      'rise.dev/process': 'worker',
    });

    const webPods = podsOf('rise-shop', id, 'web');
    const workerPods = podsOf('rise-shop', id, 'worker');
    expect(webPods).toHaveLength(3);
    expect(workerPods).toHaveLength(1);

    await runtime.setServiceTarget('shop', id, web.port);
    const service = fake.get('services', 'rise-shop', 'shop') as KubeObject;
    const selected = fake
      .list('pods', 'rise-shop')
      .filter((pod) =>
        Object.entries(service.spec.selector as Record<string, string>).every(
          ([k, v]) => pod.metadata.labels?.[k] === v,
        ),
      )
      .map((pod) => pod.metadata.name)
      .sort();
    expect(selected).toEqual(webPods);

    // One status per pod, numbered per process in pod-name order.
    const listed = (await runtime.list({ project: 'shop' })).filter((status) => status.deploymentId === id);
    expect(
      listed.map((status) => [processOf(status), replicaOf(status), status.state, status.slot]).sort(),
    ).toEqual([
      ['web', 0, 'running', 'a'],
      ['web', 1, 'running', 'a'],
      ['web', 2, 'running', 'a'],
      ['worker', 0, 'running', 'a'],
    ]);
    for (const status of listed) expect(status.startedAt).toBeInstanceOf(Date);
    const primary = listed.filter((status) => status.process === undefined);
    expect(primary.map((status) => status.replica)).toEqual([undefined]);
    expect(listed.find((status) => status.process === 'worker')?.replica).toBe(0);

    // The numbering is the one restart, stats and logs use: replica N's log is pod N's.
    for (const [replica, pod] of webPods.entries()) {
      const lines = await collect(
        runtime.logs('shop', id, { follow: false, tail: 10, instance: { process: 'web', replica } }),
      );
      expect(lines.map((line) => line.line)).toEqual([`web ${pod}`]);
    }
    const workerLines = await collect(
      runtime.logs('shop', id, { follow: false, tail: 10, instance: { process: 'worker', replica: 0 } }),
    );
    expect(workerLines.map((line) => line.line)).toEqual([`worker ${workerPods[0]}`]);
    // Without an instance: every web pod's output, never the worker's.
    const webLines = await collect(runtime.logs('shop', id, { follow: false, tail: 10 }));
    expect(webLines.map((line) => line.line).sort()).toEqual(webPods.map((pod) => `web ${pod}`));
    await expect(
      collect(
        runtime.logs('shop', id, { follow: false, tail: 10, instance: { process: 'worker', replica: 1 } }),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The fake has no metrics API: no figures, for a pod that runs as for one that does not exist.
    expect(await runtime.stats('shop', id, { process: 'worker', replica: 0 })).toBeNull();
    expect(await runtime.stats('shop', id, { process: 'worker', replica: 5 })).toBeNull();
  });

  it("starting one process again leaves the other process's Deployment, pods and env Secret alone", async () => {
    const id = deploymentId();
    const web = spec('apart', id, { replicas: 2 });
    await runtime.start(web);
    await runtime.start(worker('apart', id));
    expect(await runtime.waitHealthy(web, check)).toEqual({ healthy: true });
    expect(await runtime.waitHealthy(worker('apart', id), check)).toEqual({ healthy: true });
    const webBefore = fake.get('deployments', 'rise-apart', `apart-${id}`) as KubeObject;
    const secretBefore = fake.get('secrets', 'rise-apart', `apart-${id}-env`) as KubeObject;
    const webPods = podsOf('rise-apart', id, 'web');
    const workerPods = podsOf('rise-apart', id, 'worker');

    const changed = worker('apart', id, { env: { GREETING: 'changed' }, command: ['node', 'other.js'] });
    await runtime.start(changed);
    expect(await runtime.waitHealthy(changed, check)).toEqual({ healthy: true });

    const webAfter = fake.get('deployments', 'rise-apart', `apart-${id}`) as KubeObject;
    expect(webAfter.metadata.resourceVersion).toBe(webBefore.metadata.resourceVersion);
    expect(fake.get('secrets', 'rise-apart', `apart-${id}-env`)?.metadata.resourceVersion).toBe(
      secretBefore.metadata.resourceVersion,
    );
    expect(podsOf('rise-apart', id, 'web')).toEqual(webPods);
    // The worker itself rolled out: a new pod with the new command.
    const newWorkerPods = podsOf('rise-apart', id, 'worker');
    expect(newWorkerPods).toHaveLength(1);
    expect(newWorkerPods).not.toEqual(workerPods);
    const workerPod = fake.get('pods', 'rise-apart', newWorkerPods[0] ?? '') as KubeObject;
    expect(workerPod.spec.containers[0].command).toEqual(['node', 'other.js']);
  });

  it('scales by patching replicas alone: scaling web to 1 keeps one of its pods, scaling the worker up adds one', async () => {
    const id = deploymentId();
    const web = spec('scaled', id, { replicas: 3 });
    await runtime.start(web);
    await runtime.start(worker('scaled', id));
    expect(await runtime.waitHealthy(web, check)).toEqual({ healthy: true });
    expect(await runtime.waitHealthy(worker('scaled', id), check)).toEqual({ healthy: true });
    const webPods = podsOf('rise-scaled', id, 'web');
    const workerPods = podsOf('rise-scaled', id, 'worker');
    const before = fake.get('deployments', 'rise-scaled', `scaled-${id}`) as KubeObject;
    const requests = fake.requests.length;

    await runtime.scale({ ...web, replicas: 1 }, { graceMs: 1_000 });
    const patches = fake.history.filter(
      (entry) => entry.event === `PATCH /apis/apps/v1/namespaces/rise-scaled/deployments/scaled-${id}`,
    );
    expect(patches.map((entry) => entry.body)).toEqual([{ spec: { replicas: 1 } }]);
    expect(
      fake.requests.slice(requests).filter((request) => request.method === 'PATCH')[0]?.contentType,
    ).toBe('application/merge-patch+json');
    expect(await runtime.waitHealthy({ ...web, replicas: 1 }, check)).toEqual({ healthy: true });
    const after = fake.get('deployments', 'rise-scaled', `scaled-${id}`) as KubeObject;
    expect(after.spec.replicas).toBe(1);
    // Same template: nothing rolled out, the pod that is left is one of the three.
    expect(after.spec.template).toEqual(before.spec.template);
    await fake.waitFor(() => podsOf('rise-scaled', id, 'web').length === 1);
    expect(webPods).toContain(podsOf('rise-scaled', id, 'web')[0]);
    expect(podsOf('rise-scaled', id, 'worker')).toEqual(workerPods);

    await runtime.scale(worker('scaled', id, { replicas: 2 }));
    expect(await runtime.waitHealthy(worker('scaled', id, { replicas: 2 }), check)).toEqual({
      healthy: true,
    });
    const scaledWorkers = podsOf('rise-scaled', id, 'worker');
    expect(scaledWorkers).toHaveLength(2);
    expect(scaledWorkers).toEqual(expect.arrayContaining(workerPods));
    const listed = (await runtime.list({ project: 'scaled' })).filter((status) => status.deploymentId === id);
    expect(listed.map((status) => `${processOf(status)}/${replicaOf(status)}`).sort()).toEqual([
      'web/0',
      'worker/0',
      'worker/1',
    ]);

    await expect(
      runtime.scale(worker('scaled', id, { process: 'mailer', replicas: 2 })),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('restarts one replica by deleting its pod (a new one replaces it); without a ref, web rolls out', async () => {
    const id = deploymentId();
    const web = spec('restarts', id, { replicas: 2 });
    await runtime.start(web);
    await runtime.start(worker('restarts', id));
    expect(await runtime.waitHealthy(web, check)).toEqual({ healthy: true });
    expect(await runtime.waitHealthy(worker('restarts', id), check)).toEqual({ healthy: true });
    const webPods = podsOf('rise-restarts', id, 'web');
    const [workerPod] = podsOf('rise-restarts', id, 'worker');

    await runtime.restart('restarts', id, { process: 'web', replica: 1 });
    expect(fake.podDeletions.map((deletion) => deletion.name)).toContain(webPods[1]);
    await fake.waitFor(() => {
      const pods = podsOf('rise-restarts', id, 'web');
      return pods.length === 2 && !pods.includes(webPods[1] ?? '');
    });
    expect(podsOf('rise-restarts', id, 'web')).toContain(webPods[0]);
    expect(podsOf('rise-restarts', id, 'worker')).toEqual([workerPod]);
    await expect(runtime.restart('restarts', id, { process: 'worker', replica: 3 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const workerBefore = fake.get('deployments', 'rise-restarts', `restarts-${id}--worker`) as KubeObject;
    await runtime.restart('restarts', id);
    const webAfter = fake.get('deployments', 'rise-restarts', `restarts-${id}`) as KubeObject;
    expect(webAfter.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(
      /^\d{4}-/,
    );
    expect(fake.get('deployments', 'rise-restarts', `restarts-${id}--worker`)?.metadata.resourceVersion).toBe(
      workerBefore.metadata.resourceVersion,
    );
    expect(await runtime.waitHealthy(web, check)).toEqual({ healthy: true });
  });

  it('removes every process of the deployment: both Deployments, their pods and env Secrets', async () => {
    const id = deploymentId();
    const other = deploymentId();
    const web = spec('removes', id, { replicas: 2 });
    await runtime.start(web);
    await runtime.start(worker('removes', id));
    const kept = spec('removes', other, { slot: 'b' });
    await runtime.start(kept);
    expect(await runtime.waitHealthy(web, check)).toEqual({ healthy: true });
    expect(await runtime.waitHealthy(kept, check)).toEqual({ healthy: true });

    await runtime.remove('removes', id, { graceMs: 1_000 });
    expect(fake.get('deployments', 'rise-removes', `removes-${id}`)).toBeUndefined();
    expect(fake.get('deployments', 'rise-removes', `removes-${id}--worker`)).toBeUndefined();
    expect(fake.get('secrets', 'rise-removes', `removes-${id}-env`)).toBeUndefined();
    expect(fake.get('secrets', 'rise-removes', `removes-${id}--worker-env`)).toBeUndefined();
    await fake.waitFor(() => fake.list('pods', 'rise-removes', { 'rise.dev/deployment': id }).length === 0);
    expect((await runtime.list({ project: 'removes' })).map((status) => status.deploymentId)).toEqual([
      other,
    ]);
    expect(fake.get('deployments', 'rise-removes', `removes-${other}`)).toBeDefined();
    // Idempotent.
    await runtime.remove('removes', id);
  });

  it("mounts the project's volumes into every process's pods, all on one node (pod affinity)", async () => {
    const id = deploymentId();
    const volumes = [{ name: 'data', mountPath: '/data', size: '1Gi' }];
    const web = spec('stored', id, { replicas: 2, volumes });
    await runtime.start(web);
    await runtime.start(worker('stored', id, { volumes }));
    expect(await runtime.waitHealthy(web, check)).toEqual({ healthy: true });
    expect(await runtime.waitHealthy(worker('stored', id, { volumes }), check)).toEqual({ healthy: true });
    const pods = fake.list('pods', 'rise-stored', { 'rise.dev/deployment': id });
    expect(pods).toHaveLength(3);
    const affinities = new Set<string>();
    for (const pod of pods) {
      expect(pod.metadata.labels?.['rise.dev/mounts-volumes']).toBe('true');
      expect(pod.spec.volumes).toEqual([
        { name: 'vol-data', persistentVolumeClaim: { claimName: 'vol.stored.data' } },
      ]);
      expect(pod.spec.containers[0].volumeMounts).toEqual([{ name: 'vol-data', mountPath: '/data' }]);
      affinities.add(JSON.stringify(pod.spec.affinity));
    }
    // One affinity term for all: every pod mounting the project's volumes goes where the others are.
    expect([...affinities]).toEqual([
      JSON.stringify({
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              labelSelector: {
                matchLabels: {
                  'app.kubernetes.io/managed-by': 'rise',
                  'rise.dev/instance': 'prod',
                  'rise.dev/project': 'stored',
                  'rise.dev/mounts-volumes': 'true',
                },
              },
              topologyKey: 'kubernetes.io/hostname',
            },
          ],
        },
      }),
    ]);
  });

  it('keeps serving a web Deployment written before processes (no process label): routed, listed as web, restarted with its selector', async () => {
    const id = deploymentId();
    const web = spec('legacy', id);
    await runtime.start(web);
    expect(await runtime.waitHealthy(web, check)).toEqual({ healthy: true });
    // What an older Rise wrote: the same object without the process label (selector included).
    const current = fake.get('deployments', 'rise-legacy', `legacy-${id}`) as KubeObject;
    const strip = (labels: Record<string, string> = {}) => {
      const { 'rise.dev/process': _process, ...rest } = labels;
      return rest;
    };
    // Only the Deployment goes (its env Secret stays, as it would have been written).
    const deleted = await fetch(`${fake.url}/apis/apps/v1/namespaces/rise-legacy/deployments/legacy-${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer token-${runId}` },
    });
    expect(deleted.status).toBe(200);
    await fake.waitFor(() => fake.list('pods', 'rise-legacy', { 'rise.dev/deployment': id }).length === 0);
    fake.seed({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: current.metadata.name,
        namespace: 'rise-legacy',
        labels: strip(current.metadata.labels),
      },
      spec: {
        ...current.spec,
        selector: { matchLabels: strip(current.spec.selector.matchLabels) },
        template: {
          ...current.spec.template,
          metadata: {
            ...current.spec.template.metadata,
            labels: strip(current.spec.template.metadata.labels),
          },
        },
      },
    });
    // Listed as web, routed to its pods (which have no process label).
    expect(await runtime.waitHealthy(web, check)).toEqual({ healthy: true });
    const [legacy, ...others] = await runtime.list({ project: 'legacy' });
    expect(others).toEqual([]);
    expect(legacy).toMatchObject({ deploymentId: id, state: 'running' });
    // Web replica 0: no process or replica, as before processes.
    expect(legacy?.process).toBeUndefined();
    expect(legacy?.replica).toBeUndefined();
    await runtime.setServiceTarget('legacy', id, web.port);
    const service = fake.get('services', 'rise-legacy', 'legacy') as KubeObject;
    const selected = () =>
      fake
        .list('pods', 'rise-legacy')
        .filter((pod) =>
          Object.entries(service.spec.selector as Record<string, string>).every(
            ([k, v]) => pod.metadata.labels?.[k] === v,
          ),
        );
    expect(selected()).toHaveLength(1);
    expect(selected()[0]?.metadata.labels?.['rise.dev/process']).toBeUndefined();
    // Started again (a retried deploy): the immutable selector stays; the new pods are still selected.
    await runtime.start(web);
    expect(await runtime.waitHealthy(web, check)).toEqual({ healthy: true });
    expect(
      (fake.get('deployments', 'rise-legacy', `legacy-${id}`) as KubeObject).spec.selector.matchLabels,
    ).toEqual(strip(current.spec.selector.matchLabels));
    await fake.waitFor(() => fake.list('pods', 'rise-legacy').length === 1);
    expect(selected()).toHaveLength(1);
    expect(selected()[0]?.metadata.labels?.['rise.dev/process']).toBe('web');
  });
});
