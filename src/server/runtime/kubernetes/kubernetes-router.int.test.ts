import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectRoute } from '@/server/proxy/types';
import { FakeKubernetesApi } from '../../../../test/fake-kubernetes-api';
import { kubernetesRouterSettings } from '../index';
import type { InstanceSpec } from '../types';
import { KubernetesRouter, type KubernetesRouterOptions } from './kubernetes-router';
import { KubernetesRuntime } from './kubernetes-runtime';

// KubernetesRouter (the engine's Proxy on Kubernetes) against the fake Kubernetes API server: the
// Ingress as stored, TLS and class options, ownership, and what stop / remove leave behind. The deploy
// engine driving it is in domains/deployments/kubernetes-deploy.int.test.ts.

const runId = randomBytes(3).toString('hex');
const digest = `sha256:${'c'.repeat(64)}`;
const check = { path: '/health', timeoutMs: 1_000, intervalMs: 25, attempts: 200 };
let fake: FakeKubernetesApi;
let kubeConfig: KubeConfig;
let runtime: KubernetesRuntime;
const extraLabels = { 'rise.test': runId };
const auth = { url: 'https://rise.example.com/api/proxy/auth', signinUrl: 'https://rise.example.com/signin' };
const router = (options: Partial<KubernetesRouterOptions> = {}) =>
  new KubernetesRouter({ runtime, kubeConfig, auth, extraLabels, ...options });

function route(project: string, deploymentId: string | null, overrides: Partial<ProjectRoute> = {}) {
  return {
    project,
    hosts: [`${project}.apps.example.com`, 'www.example.com', `${project}.apps.example.com`],
    state: 'running',
    upstreams: ['unused:1', 'unused:2'],
    healthPath: '/health',
    visibility: 'public',
    activeDeploymentId: deploymentId,
    port: 8080,
    ...overrides,
  } satisfies ProjectRoute;
}

async function running(project: string): Promise<string> {
  const spec: InstanceSpec = {
    project,
    deploymentId: `20261122-0600-${randomBytes(2).toString('hex')}`,
    slot: 'a',
    image: `registry.example.com/apps/web@${digest}`,
    port: 8080,
    env: {},
    cpuLimit: null,
    memoryLimitMb: null,
    hostPort: null,
    healthPath: '/health',
  };
  await runtime.start(spec);
  expect(await runtime.waitHealthy(spec, check)).toEqual({ healthy: true });
  return spec.deploymentId;
}

beforeAll(async () => {
  fake = await FakeKubernetesApi.start({ token: `token-${runId}` });
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions(fake.kubeConfigOptions());
  runtime = new KubernetesRuntime({ kubeConfig, instance: 'prod', extraLabels });
});

afterAll(async () => {
  await fake?.stop();
  expect(fake?.rejections).toEqual([]);
});

describe('KubernetesRouter', () => {
  it('points the Service at the active deployment and writes one rule per host, with a shared TLS Secret', async () => {
    const id = await running('shop');
    const routes = router({ tls: { secretName: 'wildcard-tls' } });
    await routes.prepare();
    await routes.upsertRoute(route('shop', id));
    expect(fake.get('services', 'rise-shop', 'shop')?.spec.selector['rise.dev/deployment']).toBe(id);
    const ingress = fake.get('ingresses', 'rise-shop', 'shop');
    expect(ingress?.metadata.annotations).toBeUndefined();
    expect(ingress?.spec.ingressClassName).toBeUndefined();
    expect(ingress?.spec.tls).toEqual([
      { hosts: ['shop.apps.example.com', 'www.example.com'], secretName: 'wildcard-tls' },
    ]);
    expect(ingress?.spec.rules.map((rule: { host: string }) => rule.host)).toEqual([
      'shop.apps.example.com',
      'www.example.com',
    ]);

    // Unchanged: replaced in place; without TLS: no tls section.
    await router().upsertRoute(route('shop', id));
    expect(fake.get('ingresses', 'rise-shop', 'shop')?.spec.tls).toBeUndefined();
    expect(await routes.listRoutes()).toEqual(['shop']);

    // Stopped: no Ingress; the Service stays until the route is removed.
    await routes.upsertRoute(route('shop', id, { state: 'stopped' }));
    expect(fake.get('ingresses', 'rise-shop', 'shop')).toBeUndefined();
    expect(await routes.listRoutes()).toEqual([]);
    await routes.upsertRoute(route('shop', id));
    await routes.removeRoute('shop');
    expect(fake.get('ingresses', 'rise-shop', 'shop')).toBeUndefined();
    expect(fake.get('services', 'rise-shop', 'shop')).toBeUndefined();
    await routes.removeRoute('shop'); // idempotent
  });

  it("leaves other installations' and hand-made Ingresses alone", async () => {
    const id = await running('blog');
    fake.seed({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'blog', namespace: 'rise-blog', labels: { team: 'web' } },
      spec: { defaultBackend: { service: { name: 'other', port: { number: 80 } } } },
    });
    await expect(router().upsertRoute(route('blog', id))).rejects.toThrow(/not managed by Rise/);
    await expect(router().removeRoute('blog')).rejects.toThrow(/not managed by Rise/);
    expect(fake.get('ingresses', 'rise-blog', 'blog')?.metadata.labels).toEqual({ team: 'web' });

    const other = new KubernetesRuntime({ kubeConfig, instance: 'staging', extraLabels });
    fake.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'rise-wiki' },
    });
    fake.seed({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'wiki',
        namespace: other.namespaceFor('wiki'),
        labels: {
          'app.kubernetes.io/managed-by': 'rise',
          'rise.dev/instance': 'staging',
          'rise.dev/project': 'wiki',
        },
      },
      spec: { defaultBackend: { service: { name: 'wiki', port: { number: 80 } } } },
    });
    expect(await router().listRoutes()).not.toContain('wiki');
  });

  it('keeps to the shared namespace when every project lives in one (RISE_KUBE_NAMESPACE)', async () => {
    fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
    const shared = new KubernetesRuntime({ kubeConfig, instance: 'prod', namespace: 'apps', extraLabels });
    const id = `20261122-0600-${randomBytes(2).toString('hex')}`;
    const spec: InstanceSpec = {
      project: 'forum',
      deploymentId: id,
      slot: 'a',
      image: `registry.example.com/apps/web@${digest}`,
      port: 8080,
      env: {},
      cpuLimit: null,
      memoryLimitMb: null,
      hostPort: null,
      healthPath: '/health',
    };
    await shared.start(spec);
    expect(await shared.waitHealthy(spec, check)).toEqual({ healthy: true });
    const routes = new KubernetesRouter({ runtime: shared, kubeConfig, auth, extraLabels });
    const seen = fake.requests.length;
    await routes.prepare();
    await routes.upsertRoute(route('forum', id));
    expect(fake.get('ingresses', 'apps', 'forum')).toBeDefined();
    expect(await routes.listRoutes()).toEqual(['forum']);
    // Never a cluster-wide list: a Role in one namespace would refuse it.
    expect(fake.requests.slice(seen).filter((request) => request.path.endsWith('/v1/ingresses'))).toEqual([]);
    await routes.removeRoute('forum');
    expect(fake.get('services', 'apps', 'forum')).toBeUndefined();
  });

  it('the fake API server refuses an invalid Ingress', () => {
    const before = fake.rejections.length;
    expect(() =>
      fake.seed({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'Bad_Name', namespace: 'rise-blog' },
        spec: { rules: [{ host: 'x.example.com', http: { paths: [{ path: '/' }] } }] },
      }),
    ).toThrow(/is invalid/);
    // seed() is not an HTTP write: nothing recorded as a refusal of Rise's writes.
    expect(fake.rejections.length).toBe(before);
  });
});

describe('kubernetesRouterSettings', () => {
  const base = {
    RISE_URL: 'https://rise.example.com',
    RISE_TLS_MODE: 'acme' as const,
    RISE_KUBE_INGRESS_CLASS: undefined,
    RISE_KUBE_TLS_SECRET: undefined,
    RISE_KUBE_CERT_MANAGER_ISSUER: undefined,
    RISE_KUBE_AUTH_URL: undefined,
  };

  it('takes TLS from a Secret before an issuer, and none when TLS is off', () => {
    expect(kubernetesRouterSettings(base)).toEqual({
      ingressClass: null,
      tls: null,
      auth: {
        url: 'https://rise.example.com/api/proxy/auth',
        signinUrl: 'https://rise.example.com/signin?callbackUrl=$scheme://$host$request_uri',
      },
    });
    const both = { ...base, RISE_KUBE_TLS_SECRET: 'wild', RISE_KUBE_CERT_MANAGER_ISSUER: 'le' };
    expect(kubernetesRouterSettings(both).tls).toEqual({ secretName: 'wild' });
    expect(kubernetesRouterSettings({ ...base, RISE_KUBE_CERT_MANAGER_ISSUER: 'le' }).tls).toEqual({
      clusterIssuer: 'le',
    });
    expect(kubernetesRouterSettings({ ...both, RISE_TLS_MODE: 'off' }).tls).toBeNull();
    expect(
      kubernetesRouterSettings({ ...base, RISE_KUBE_AUTH_URL: 'http://rise.rise.svc:3000/api/proxy/auth' })
        .auth.url,
    ).toBe('http://rise.rise.svc:3000/api/proxy/auth');
  });
});
