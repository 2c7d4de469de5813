import { randomBytes } from 'node:crypto';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKubernetesApi, type KubeObject } from '../../../../test/fake-kubernetes-api';
import { collectLogLines as collect } from '../../../../test/log-lines';
import type { HealthCheck, InstanceSpec, LogLine } from '../types';
import { KubernetesRuntime, type KubernetesRuntimeOptions } from './kubernetes-runtime';
import { serviceName } from './names';

// Kubernetes-specific behaviour against the fake API server (test/fake-kubernetes-api.ts): what Rise
// writes, as the server stores it; pull secrets; Services; ownership; namespaces. The shared Runtime
// behaviour is in kubernetes-runtime.contract.int.test.ts.

const runId = randomBytes(3).toString('hex');
const check: HealthCheck = { path: '/health', timeoutMs: 1_000, intervalMs: 25, attempts: 200 };
const digest = (seed: string) => `sha256:${seed.repeat(64).slice(0, 64)}`;
const REGISTRY = 'registry.example.com';
const APP = `${REGISTRY}/apps/web@${digest('a')}`;
const HUB_APP = `docker.io/library/nginx@${digest('e')}`;
let sequence = 0;

function spec(project: string, overrides: Partial<InstanceSpec> = {}): InstanceSpec {
  sequence += 1;
  return {
    project,
    deploymentId: `20261122-0132-${String(sequence).padStart(4, 'a')}`,
    slot: 'a',
    image: APP,
    port: 8080,
    env: { GREETING: 'hello world', SECRET_TOKEN: 's3cr=t' },
    cpuLimit: 0.5,
    memoryLimitMb: 64,
    hostPort: null,
    healthPath: '/healthz',
    ...overrides,
  };
}

function decode(data: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
  );
}

describe('KubernetesRuntime against the fake Kubernetes API server', () => {
  let fake: FakeKubernetesApi;
  let kubeConfig: KubeConfig;
  let runtime: KubernetesRuntime;
  const extraLabels = { 'rise.test': runId };
  const make = (options: Partial<KubernetesRuntimeOptions> = {}) =>
    new KubernetesRuntime({ kubeConfig, instance: 'prod', extraLabels, ...options });

  beforeAll(async () => {
    fake = await FakeKubernetesApi.start({ token: `token-${runId}` });
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions(fake.kubeConfigOptions());
    runtime = make();
  });

  afterAll(async () => {
    await fake?.stop();
    // Every object Rise wrote validated against the Kubernetes schemas and the API server's checks.
    expect(fake.rejections).toEqual([]);
  });

  it('creates the project namespace, the env Secret and the Deployment as specified', async () => {
    const app = spec('shop');
    await runtime.start(app);
    expect(await runtime.waitHealthy(app, check)).toEqual({ healthy: true });

    const namespace = fake.get('namespaces', null, 'rise-shop');
    expect(namespace?.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'rise',
      'rise.dev/instance': 'prod',
      'rise.dev/project': 'shop',
      'rise.test': runId,
    });
    const name = `shop-${app.deploymentId}`;
    const deployment = fake.get('deployments', 'rise-shop', name) as KubeObject;
    const labels = {
      'app.kubernetes.io/managed-by': 'rise',
      'rise.dev/instance': 'prod',
      'rise.dev/project': 'shop',
      'rise.dev/deployment': app.deploymentId,
      'rise.dev/process': 'web',
      'rise.dev/slot': 'a',
      'rise.test': runId,
    };
    expect(deployment.metadata.labels).toEqual(labels);
    expect(deployment.spec.template.metadata.labels).toEqual(labels);
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.image).toBe(APP);
    expect(container.envFrom).toEqual([{ secretRef: { name: `${name}-env` } }]);
    expect(container.resources).toEqual({
      requests: { cpu: '500m', memory: '64Mi' },
      limits: { cpu: '500m', memory: '64Mi' },
    });
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      expect(container[probe].httpGet).toEqual({ path: '/healthz', port: 'http', scheme: 'HTTP' });
    }
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.imagePullSecrets).toBeUndefined();
    expect(pod.terminationGracePeriodSeconds).toBe(10);

    const secret = fake.get('secrets', 'rise-shop', `${name}-env`);
    expect(secret?.metadata.labels).toEqual(labels);
    expect(decode(secret?.data)).toEqual({ ...app.env, PORT: String(app.port) });
    // The pod the fake kubelet runs has the env of the Secret through envFrom.
    expect(fake.list('pods', 'rise-shop', { 'rise.dev/deployment': app.deploymentId })).toHaveLength(1);
  });

  it('rewrites the pull secret on every start, so new pods pull with fresh credentials', async () => {
    const credentials = { username: 'rise-worker', password: 'one' };
    const registryRuntime = make({
      pullAuth: async (image) =>
        image.startsWith(`${REGISTRY}/`) ? { ...credentials, serveraddress: REGISTRY } : null,
    });
    fake.registry = { host: REGISTRY, ...credentials };
    try {
      const first = spec('registry-app');
      await registryRuntime.start(first);
      expect(await registryRuntime.waitHealthy(first, check)).toEqual({ healthy: true });
      const pullSecret = () => fake.get('secrets', 'rise-registry-app', 'rise-registry-pull');
      expect(pullSecret()?.type).toBe('kubernetes.io/dockerconfigjson');
      expect(JSON.parse(decode(pullSecret()?.data)['.dockerconfigjson'] ?? '{}')).toEqual({
        auths: {
          [REGISTRY]: {
            username: 'rise-worker',
            password: 'one',
            auth: Buffer.from('rise-worker:one').toString('base64'),
          },
        },
      });
      const firstDeployment = fake.get(
        'deployments',
        'rise-registry-app',
        `registry-app-${first.deploymentId}`,
      );
      expect(firstDeployment?.spec.template.spec.imagePullSecrets).toEqual([{ name: 'rise-registry-pull' }]);

      // The registry rotates the password; the next start writes the new one before its pods pull.
      credentials.password = 'two';
      fake.registry = { host: REGISTRY, ...credentials };
      const second = spec('registry-app', { slot: 'b' });
      await registryRuntime.start(second);
      expect(await registryRuntime.waitHealthy(second, check)).toEqual({ healthy: true });
      expect(decode(pullSecret()?.data)['.dockerconfigjson']).toContain('"password":"two"');

      // Credentials that no longer work: the pull fails, and waitHealthy says so at once.
      fake.registry = { host: REGISTRY, username: 'rise-worker', password: 'three' };
      const third = spec('registry-app');
      await registryRuntime.start(third);
      const failed = await registryRuntime.waitHealthy(third, check);
      expect(failed).toEqual({
        healthy: false,
        error: `ImagePullBackOff: Back-off pulling image "${APP}": failed to authorize: 401 Unauthorized`,
      });

      // Images from elsewhere get no pull secret.
      const hub = spec('registry-app', { image: HUB_APP });
      await registryRuntime.start(hub);
      expect(await registryRuntime.waitHealthy(hub, check)).toEqual({ healthy: true });
      const hubDeployment = fake.get('deployments', 'rise-registry-app', `registry-app-${hub.deploymentId}`);
      expect(hubDeployment?.spec.template.spec.imagePullSecrets).toBeUndefined();
    } finally {
      fake.registry = null;
    }
  });

  it('requires a non-root user when configured (images running as root then fail to start)', async () => {
    const strict = make({ runAsNonRoot: true });
    const root = spec('strict');
    await strict.start(root);
    const result = await strict.waitHealthy(root, check);
    expect(result).toMatchObject({
      healthy: false,
      error: expect.stringMatching(
        /^CreateContainerConfigError: container has runAsNonRoot and image will run as root/,
      ),
    });
    fake.runsAsRoot = (image) => !image.includes('nonroot');
    try {
      const nonRoot = spec('strict', { image: `${REGISTRY}/apps/nonroot@${digest('f')}`, slot: 'b' });
      await strict.start(nonRoot);
      expect(await strict.waitHealthy(nonRoot, check)).toEqual({ healthy: true });
      const pod = fake.get('deployments', 'rise-strict', `strict-${nonRoot.deploymentId}`)?.spec.template
        .spec;
      expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.containers[0].securityContext.runAsNonRoot).toBe(true);
    } finally {
      fake.runsAsRoot = () => true;
    }
  });

  it('restarts with a rollout restart: a merge patch of the template annotation; new pods replace old', async () => {
    const app = spec('restarts');
    await runtime.start(app);
    expect(await runtime.waitHealthy(app, check)).toEqual({ healthy: true });
    const selector = { 'rise.dev/deployment': app.deploymentId };
    const before = fake.list('pods', 'rise-restarts', selector).map((pod) => pod.metadata.name);
    await runtime.restart('restarts', app.deploymentId);
    const patch = fake.requests.filter((request) => request.method === 'PATCH').at(-1);
    expect(patch).toMatchObject({
      path: `/apis/apps/v1/namespaces/rise-restarts/deployments/restarts-${app.deploymentId}`,
      contentType: 'application/merge-patch+json',
    });
    const deployment = fake.get('deployments', 'rise-restarts', `restarts-${app.deploymentId}`);
    expect(deployment?.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(
      /^\d{4}-/,
    );
    expect(deployment?.metadata.generation).toBe(2);
    expect(await runtime.waitHealthy(app, check)).toEqual({ healthy: true });
    const after = fake.list('pods', 'rise-restarts', selector).map((pod) => pod.metadata.name);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
  });

  it('removes Deployment, pods (with the grace period given) and env Secret; a followed log ends', async () => {
    const app = spec('removes');
    await runtime.start(app);
    expect(await runtime.waitHealthy(app, check)).toEqual({ healthy: true });
    const lines: LogLine[] = [];
    const following = (async () => {
      for await (const line of runtime.logs('removes', app.deploymentId, { follow: true, tail: 5 }))
        lines.push(line);
    })();
    await fake.waitFor(() => lines.length >= 2);
    expect(lines.map((line) => line.line)).toEqual([`starting ${APP}`, 'listening on port 8080']);
    const pods = fake.list('pods', 'rise-removes').map((pod) => pod.metadata.name);
    // The garbage collector takes a moment, as a real one does; at 10 ms it could delete the pods
    // before Rise's own graceful delete reached them on a loaded machine.
    fake.options.controllerDelayMs = 500;
    try {
      await runtime.remove('removes', app.deploymentId, { graceMs: 2_500 });
    } finally {
      fake.options.controllerDelayMs = undefined;
    }
    await expect(following).resolves.toBeUndefined();
    expect(fake.get('deployments', 'rise-removes', `removes-${app.deploymentId}`)).toBeUndefined();
    expect(fake.get('secrets', 'rise-removes', `removes-${app.deploymentId}-env`)).toBeUndefined();
    expect(fake.list('pods', 'rise-removes')).toEqual([]);
    const deletions = fake.podDeletions.filter((deletion) => pods.includes(deletion.name));
    expect(deletions.map((deletion) => deletion.gracePeriodSeconds)).toContain(3);
  });

  it('closes followed log requests when the reader stops early; mid-rollout follows the pod that runs', async () => {
    const app = spec('follows');
    await runtime.start(app);
    expect(await runtime.waitHealthy(app, check)).toEqual({ healthy: true });
    for await (const line of runtime.logs('follows', app.deploymentId, { follow: true, tail: 1 })) {
      expect(line.line).toBe('listening on port 8080');
      break;
    }
    await fake.waitFor(() => fake.openLogStreams() === 0);

    // Mid-rollout there are two pods; the new one's container has not started (no log yet).
    fake.options.readyAfterMs = 2_000;
    try {
      await runtime.restart('follows', app.deploymentId);
      const namespace = 'rise-follows';
      await fake.waitFor(() => fake.list('pods', namespace).length === 2);
      const controller = new AbortController();
      const seen: string[] = [];
      const following = (async () => {
        const lines = runtime.logs('follows', app.deploymentId, {
          follow: true,
          tail: 0,
          signal: controller.signal,
        });
        for await (const line of lines) seen.push(line.line);
      })();
      await fake.waitFor(() => fake.openLogStreams() === 1);
      const [oldPod] = fake.list('pods', namespace).filter((pod) => pod.status.phase === 'Running');
      fake.appendLog({ namespace, pod: oldPod?.metadata.name }, 'from the old pod');
      await fake.waitFor(() => seen.includes('from the old pod'));
      controller.abort();
      await expect(following).resolves.toBeUndefined();
      await fake.waitFor(() => fake.openLogStreams() === 0);
    } finally {
      fake.options.readyAfterMs = undefined;
    }
  });

  it('waitHealthy names what it waited for, stops on abort, fails fast on config errors', async () => {
    const app = spec('waits');
    await runtime.start(app);
    const early = await runtime.waitHealthy(app, { ...check, attempts: 1 });
    expect(early).toMatchObject({
      healthy: false,
      error: expect.stringMatching(/^Deployment waits-\S+ not ready after 1 check: /),
    });
    const aborted = new AbortController();
    aborted.abort();
    expect(await runtime.waitHealthy(app, { ...check, signal: aborted.signal })).toEqual({
      healthy: false,
      error: 'cancelled',
    });
    expect(await runtime.waitHealthy(spec('waits'), check)).toMatchObject({
      healthy: false,
      error: expect.stringMatching(/does not exist/),
    });

    fake.failures.push({
      image: 'badconfig',
      reason: 'CreateContainerConfigError',
      message: "couldn't find key FOO",
    });
    const broken = spec('waits', { image: `${REGISTRY}/apps/badconfig@${digest('d')}`, slot: 'b' });
    await runtime.start(broken);
    expect(await runtime.waitHealthy(broken, check)).toEqual({
      healthy: false,
      error: "CreateContainerConfigError: couldn't find key FOO",
    });
    expect(
      (await runtime.list({ project: 'waits' })).find((s) => s.deploymentId === broken.deploymentId),
    ).toMatchObject({
      state: 'created',
    });
  });

  it('lists crash-looping instances as restarting, with the exit code', async () => {
    const crashing = spec('crashes', { image: `${REGISTRY}/apps/crash@${digest('b')}` });
    await runtime.start(crashing);
    expect(await runtime.waitHealthy(crashing, check)).toMatchObject({ healthy: false });
    expect(await runtime.list({ project: 'crashes' })).toEqual([
      expect.objectContaining({ deploymentId: crashing.deploymentId, state: 'restarting', exitCode: 1 }),
    ]);
  });

  it('points the project Service at one deployment, then moves it, keeping its cluster IP', async () => {
    const blue = spec('routed');
    const green = spec('routed', { slot: 'b', port: 3000 });
    for (const app of [blue, green]) {
      await runtime.start(app);
      expect(await runtime.waitHealthy(app, check)).toEqual({ healthy: true });
    }
    await runtime.setServiceTarget('routed', blue.deploymentId, blue.port);
    const first = fake.get('services', 'rise-routed', 'routed') as KubeObject;
    expect(first.metadata.labels).toMatchObject({
      'rise.dev/project': 'routed',
      'rise.dev/instance': 'prod',
    });
    expect(first.spec.selector).toEqual({
      'app.kubernetes.io/managed-by': 'rise',
      'rise.dev/instance': 'prod',
      'rise.dev/project': 'routed',
      'rise.dev/deployment': blue.deploymentId,
      'rise.dev/process': 'web',
    });
    expect(first.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]);

    await runtime.setServiceTarget('routed', green.deploymentId, green.port);
    const second = fake.get('services', 'rise-routed', 'routed') as KubeObject;
    expect(second.spec.selector['rise.dev/deployment']).toBe(green.deploymentId);
    expect(second.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 3000, protocol: 'TCP' }]);
    expect(second.spec.clusterIP).toBe(first.spec.clusterIP);
    expect(second.metadata.uid).toBe(first.metadata.uid);
    // Only green's pods match the selector.
    const selected = fake
      .list('pods', 'rise-routed')
      .filter((pod) =>
        Object.entries(second.spec.selector).every(([k, v]) => pod.metadata.labels?.[k] === v),
      );
    expect(selected.map((pod) => pod.metadata.labels?.['rise.dev/deployment'])).toEqual([green.deploymentId]);

    await expect(runtime.setServiceTarget('routed', '20260101-0000-none', 8080)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('never touches objects with Rise names that it does not own', async () => {
    // An administrator's namespace without Rise's labels is used; what is in it stays theirs.
    fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rise-foreign' } });
    const app = spec('foreign');
    fake.seed({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `foreign-${app.deploymentId}`, namespace: 'rise-foreign', labels: { app: 'theirs' } },
      spec: {
        selector: { matchLabels: { app: 'theirs' } },
        template: {
          metadata: { labels: { app: 'theirs' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    });
    fake.seed({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'foreign', namespace: 'rise-foreign' },
      spec: { ports: [{ port: 80 }] },
    });
    await expect(runtime.start(app)).rejects.toThrow(/is not managed by Rise .*not touching it/);
    await expect(runtime.remove('foreign', app.deploymentId)).rejects.toThrow(/not managed by Rise/);
    await expect(runtime.restart('foreign', app.deploymentId)).rejects.toThrow(/not managed by Rise/);
    expect(await runtime.waitHealthy(app, check)).toMatchObject({ healthy: false, error: /not touching it/ });
    expect(await runtime.list({ project: 'foreign' })).toEqual([]);
    expect(fake.get('deployments', 'rise-foreign', `foreign-${app.deploymentId}`)?.metadata.labels).toEqual({
      app: 'theirs',
    });

    const ours = spec('foreign');
    await runtime.start(ours);
    await expect(runtime.setServiceTarget('foreign', ours.deploymentId, 8080)).rejects.toThrow(
      /Service rise-foreign\/foreign exists but it is not managed by Rise/,
    );

    // Another installation's namespace.
    fake.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'rise-taken',
        labels: { 'app.kubernetes.io/managed-by': 'rise', 'rise.dev/instance': 'staging' },
      },
    });
    await expect(runtime.start(spec('taken'))).rejects.toThrow(
      /namespace rise-taken exists but it belongs to another Rise installation/,
    );
    await runtime.deleteProject('taken');
    expect(fake.get('namespaces', null, 'rise-taken')).toBeDefined();
  });

  it('deleteProject removes the namespace Rise created for the project, and nothing else', async () => {
    const gone = spec('gone');
    const stays = spec('stays');
    for (const app of [gone, stays]) await runtime.start(app);
    await runtime.setServiceTarget('gone', gone.deploymentId, 8080);
    await runtime.deleteProject('gone');
    await fake.waitFor(() => fake.get('namespaces', null, 'rise-gone') === undefined);
    expect(fake.list('deployments', 'rise-gone')).toEqual([]);
    expect(await runtime.list({ project: 'gone' })).toEqual([]);
    expect(fake.get('deployments', 'rise-stays', `stays-${stays.deploymentId}`)).toBeDefined();
    await runtime.deleteProject('gone');

    // In a namespace the administrator made, only Rise's objects of the project go.
    fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rise-adopted' } });
    fake.seed({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'admin-config', namespace: 'rise-adopted' },
      data: { token: Buffer.from('x').toString('base64') },
    });
    const adopted = spec('adopted');
    await runtime.start(adopted);
    await runtime.setServiceTarget('adopted', adopted.deploymentId, 8080);
    await runtime.deleteProject('adopted');
    expect(fake.get('namespaces', null, 'rise-adopted')).toBeDefined();
    expect(fake.list('secrets', 'rise-adopted').map((secret) => secret.metadata.name)).toEqual([
      'admin-config',
    ]);
    expect(fake.list('deployments', 'rise-adopted')).toEqual([]);
    expect(fake.list('services', 'rise-adopted')).toEqual([]);
  });

  it('keeps every project in one namespace when RISE_KUBE_NAMESPACE is set', async () => {
    fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rise-apps' } });
    fake.seed({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'admin-config', namespace: 'rise-apps' },
      data: { token: Buffer.from('x').toString('base64') },
    });
    // Each project's own credentials (as for its own login to an external registry).
    const shared = make({
      namespace: 'rise-apps',
      pullAuth: async (_image, project) => ({
        username: `login-${project}`,
        password: `pw-${project}`,
        serveraddress: REGISTRY,
      }),
    });
    expect(make({ namespaceFormat: 'rise-apps' }).namespaceFor('anything')).toBe('rise-apps');
    const requestsBefore = fake.requests.length;
    await shared.prepare();
    const one = spec('one');
    const two = spec('two');
    for (const app of [one, two]) {
      await shared.start(app);
      expect(await shared.waitHealthy(app, check)).toEqual({ healthy: true });
      await shared.setServiceTarget(app.project, app.deploymentId, 8080);
    }
    expect((await shared.list()).map((s) => s.project).sort()).toEqual(['one', 'two']);
    // One pull Secret per project in the shared namespace: no pod pulls with another project's login.
    for (const app of [one, two]) {
      const deployment = fake.get('deployments', 'rise-apps', `${app.project}-${app.deploymentId}`);
      expect(deployment?.spec.template.spec.imagePullSecrets).toEqual([
        { name: `${app.project}-registry-pull` },
      ]);
      const secret = fake.get('secrets', 'rise-apps', `${app.project}-registry-pull`);
      expect(secret?.metadata.labels?.['rise.dev/project']).toBe(app.project);
      expect(JSON.parse(decode(secret?.data)['.dockerconfigjson'] ?? '{}').auths[REGISTRY].password).toBe(
        `pw-${app.project}`,
      );
    }
    expect(await shared.list({ project: 'one' })).toEqual([
      expect.objectContaining({ deploymentId: one.deploymentId }),
    ]);
    const requests = fake.requests.slice(requestsBefore);
    // Nothing cluster-wide: no namespace reads or writes, no lists across namespaces.
    expect(
      requests.filter(
        (r) => r.path.startsWith('/api/v1/namespaces') && !r.path.startsWith('/api/v1/namespaces/rise-apps'),
      ),
    ).toEqual([]);
    expect(requests.filter((r) => r.path === '/api/v1/namespaces/rise-apps')).toEqual([]);
    expect(requests.filter((r) => /^\/(api\/v1|apis\/apps\/v1)\/(deployments|pods)$/.test(r.path))).toEqual(
      [],
    );

    await shared.deleteProject('one');
    expect(fake.list('deployments', 'rise-apps').map((d) => d.metadata.labels?.['rise.dev/project'])).toEqual(
      ['two'],
    );
    expect(fake.list('services', 'rise-apps').map((s) => s.metadata.name)).toEqual(['two']);
    expect(
      fake
        .list('secrets', 'rise-apps')
        .map((s) => s.metadata.name)
        .sort(),
    ).toEqual(['admin-config', `two-${two.deploymentId}-env`, 'two-registry-pull'].sort());
    expect(fake.get('namespaces', null, 'rise-apps')).toBeDefined();
  });

  it('lists across namespaces per installation, and fits long project names into a namespace name', async () => {
    const long = `l${'o'.repeat(61)}g`;
    const app = spec(long);
    await runtime.start(app);
    expect(await runtime.waitHealthy(app, check)).toEqual({ healthy: true });
    const namespace = runtime.namespaceFor(long);
    expect(namespace).toHaveLength(63);
    expect(fake.get('namespaces', null, namespace)?.metadata.labels?.['rise.dev/project']).toBe(long);
    const all = await runtime.list();
    expect(all.some((status) => status.project === long && status.state === 'running')).toBe(true);
    expect(all.some((status) => status.project === 'shop')).toBe(true);
    // Another installation on the same cluster sees none of it.
    expect(await make({ instance: 'staging' }).list()).toEqual([]);
    const lines = await collect(runtime.logs(long, app.deploymentId, { follow: false, tail: 1 }));
    expect(lines).toEqual([{ stream: 'stdout', line: 'listening on port 8080', time: expect.any(Date) }]);
  });

  it("runs a group's deployments with the group label, lists them with their group, and gives each group its own Service", async () => {
    fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rise-grouped' } });
    const shared = make({ namespace: 'rise-grouped' });
    const live = spec('shelf');
    const preview = spec('shelf', { group: 'mr--26' });
    for (const app of [live, preview]) {
      await shared.start(app);
      expect(await shared.waitHealthy(app, check)).toEqual({ healthy: true });
    }
    const deployment = fake.get('deployments', 'rise-grouped', `shelf-${preview.deploymentId}`);
    expect(deployment?.metadata.labels?.['rise.dev/group']).toBe('mr--26');
    expect(deployment?.spec.template.metadata.labels?.['rise.dev/group']).toBe('mr--26');
    expect(
      fake.get('secrets', 'rise-grouped', `shelf-${preview.deploymentId}-env`)?.metadata.labels,
    ).toMatchObject({ 'rise.dev/group': 'mr--26' });
    const pods = fake.list('pods', 'rise-grouped', { 'rise.dev/deployment': preview.deploymentId });
    expect(pods.map((pod) => pod.metadata.labels?.['rise.dev/group'])).toEqual(['mr--26']);
    expect(
      fake.get('deployments', 'rise-grouped', `shelf-${live.deploymentId}`)?.metadata.labels,
    ).not.toHaveProperty(['rise.dev/group']);
    const listed = await shared.list({ project: 'shelf' });
    expect(listed.map(({ deploymentId, group }) => ({ deploymentId, group }))).toEqual(
      expect.arrayContaining([
        { deploymentId: live.deploymentId, group: undefined },
        { deploymentId: preview.deploymentId, group: 'mr--26' },
      ]),
    );
    expect(listed).toHaveLength(2);

    await shared.setServiceTarget('shelf', live.deploymentId, 8080);
    await shared.setServiceTarget('shelf', preview.deploymentId, 8080, 'mr--26');
    const services = fake.list('services', 'rise-grouped');
    expect(services.map((service) => service.metadata.name).sort()).toEqual(
      ['shelf', serviceName('shelf', 'mr--26')].sort(),
    );
    expect(fake.get('services', 'rise-grouped', 'shelf')?.spec.selector['rise.dev/deployment']).toBe(
      live.deploymentId,
    );
    // A deployment runs for one group: another group's Service never selects it.
    await expect(shared.setServiceTarget('shelf', live.deploymentId, 8080, 'mr--26')).rejects.toThrow(
      /runs for project shelf, not for group mr--26 of project shelf/,
    );

    // deleteService removes one group's Service; deleteProject every group's.
    await shared.deleteService('shelf', 'mr--26');
    expect(fake.list('services', 'rise-grouped').map((service) => service.metadata.name)).toEqual(['shelf']);
    await shared.setServiceTarget('shelf', preview.deploymentId, 8080, 'mr--26');
    // Ingresses as the router writes them (a group's route left behind), and another project's.
    const ingress = (name: string, labels: Record<string, string>) =>
      fake.seed({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          name,
          namespace: 'rise-grouped',
          labels: { 'app.kubernetes.io/managed-by': 'rise', 'rise.dev/instance': 'prod', ...labels },
        },
        spec: { defaultBackend: { service: { name, port: { number: 80 } } } },
      });
    ingress('shelf.group.mr--26', { 'rise.dev/project': 'shelf', 'rise.dev/group': 'mr--26' });
    ingress('stool', { 'rise.dev/project': 'stool' });
    await shared.deleteProject('shelf');
    expect(fake.list('ingresses', 'rise-grouped').map((item) => item.metadata.name)).toEqual(['stool']);
    expect(fake.list('services', 'rise-grouped')).toEqual([]);
    expect(fake.list('deployments', 'rise-grouped')).toEqual([]);
    expect(await shared.list({ project: 'shelf' })).toEqual([]);
  });

  it('says why it cannot reach the API (here: a wrong token)', async () => {
    const config = new KubeConfig();
    config.loadFromOptions({
      ...fake.kubeConfigOptions(),
      users: [{ name: 'rise', token: 'wrong' }],
    });
    const denied = new KubernetesRuntime({ kubeConfig: config, instance: 'prod' });
    await expect(denied.prepare()).rejects.toThrow(
      /cannot list Deployments through the Kubernetes API: .*401/s,
    );
  });
});

describe('the fake Kubernetes API server refuses what a real one refuses', () => {
  let fake: FakeKubernetesApi;
  let kubeConfig: KubeConfig;

  beforeAll(async () => {
    fake = await FakeKubernetesApi.start();
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions(fake.kubeConfigOptions());
    fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'checks' } });
  });

  afterAll(async () => {
    await fake?.stop();
  });

  const deployment = (overrides: Record<string, unknown> = {}) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx' }] },
      },
      ...overrides,
    },
  });

  async function post(path: string, body: unknown, contentType = 'application/json') {
    const response = await fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('answers 422 with a Status object for objects the OpenAPI schema rejects', async () => {
    const result = await post('/apis/apps/v1/namespaces/checks/deployments', deployment({ replicas: 'one' }));
    expect(result.status).toBe(422);
    expect(result.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Invalid',
      code: 422,
      message: expect.stringContaining('Deployment.apps "web" is invalid: spec.replicas: must be integer'),
    });
  });

  it('answers 422 for what the API server checks beyond the schema', async () => {
    const mismatch = await post(
      '/apis/apps/v1/namespaces/checks/deployments',
      deployment({ selector: { matchLabels: { app: 'other' } } }),
    );
    expect(mismatch.body.message).toContain('`selector` does not match template `labels`');
    const badLabel = await post('/api/v1/namespaces/checks/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', labels: { app: 'not ok!' } },
    });
    expect(badLabel.status).toBe(422);
    const badName = await post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'Bad_Name' },
    });
    expect(badName.status).toBe(422);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    await expect(
      core.createNamespacedSecret({
        namespace: 'checks',
        body: { metadata: { name: 'bad-key' }, data: { 'not a key': Buffer.from('x').toString('base64') } },
      }),
    ).rejects.toMatchObject({ code: 422 });
    expect(fake.rejections.length).toBeGreaterThanOrEqual(4);
  });

  it('answers 404 for a missing namespace, 409 for a duplicate, 415 for unknown patch types', async () => {
    expect((await post('/apis/apps/v1/namespaces/nowhere/deployments', deployment())).status).toBe(404);
    expect((await post('/apis/apps/v1/namespaces/checks/deployments', deployment())).status).toBe(201);
    expect((await post('/apis/apps/v1/namespaces/checks/deployments', deployment())).status).toBe(409);
    const apply = await fetch(`${fake.url}/apis/apps/v1/namespaces/checks/deployments/web`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/apply-patch+yaml' },
      body: '{}',
    });
    expect(apply.status).toBe(415);
    const selector = await fetch(`${fake.url}/apis/apps/v1/namespaces/checks/deployments/web`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'replace', path: '/spec/selector/matchLabels/app', value: 'x' }]),
    });
    expect(selector.status).toBe(422);
    expect(await selector.text()).toContain('spec.selector: Invalid value: field is immutable');
  });

  it('makes Rise fail loudly when it would write something invalid', async () => {
    const runtime = new KubernetesRuntime({ kubeConfig, instance: 'prod' });
    const invalid = { ...spec('invalid'), env: { 'BAD KEY': 'x' } };
    await expect(runtime.start(invalid)).rejects.toThrow(
      /could not start Deployment invalid-\S+ in namespace rise-invalid: Secret ".*-env" is invalid: data\[BAD KEY\]/,
    );
  });
});
