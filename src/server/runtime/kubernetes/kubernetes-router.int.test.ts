import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectRoute } from '@/server/proxy/types';
import { DEFAULT_GROUP_HOST_TEMPLATE, groupHost } from '@/shared/deployment-groups';
import { FakeKubernetesApi } from '../../../../test/fake-kubernetes-api';
import type { InstanceSpec } from '../types';
import { KubernetesRouter, type KubernetesRouterOptions } from './kubernetes-router';
import { KubernetesRuntime } from './kubernetes-runtime';
import { serviceName } from './names';

// KubernetesRouter (the engine's Router on Kubernetes) against the fake Kubernetes API server: the
// Ingress as stored, TLS and class options, ownership, and what stop / remove leave behind. The deploy
// engine driving it is in domains/deployments/kubernetes-deploy.int.test.ts.

const runId = randomBytes(3).toString('hex');
const digest = `sha256:${'c'.repeat(64)}`;
const check = { path: '/health', timeoutMs: 1_000, intervalMs: 25, attempts: 200 };
let fake: FakeKubernetesApi;
let kubeConfig: KubeConfig;
let runtime: KubernetesRuntime;
const extraLabels = { 'rise.test': runId };
const auth = {
  url: 'http://rise-web.rise.svc:80/api/proxy/auth',
  signinUrl: 'https://$http_host/.rise/auth/start',
  riseService: { host: 'rise-web.rise.svc.cluster.local', port: 80 },
};
const router = (options: Partial<KubernetesRouterOptions> = {}) =>
  new KubernetesRouter({ runtime, kubeConfig, auth, extraLabels, ...options });

function route(project: string, deploymentId: string | null, overrides: Partial<ProjectRoute> = {}) {
  return {
    project,
    hosts: [`${project}.apps.example.com`, 'www.example.com', `${project}.apps.example.com`],
    state: 'running',
    upstream: 'unused:1',
    healthPath: '/health',
    visibility: 'public',
    activeDeploymentId: deploymentId,
    port: 8080,
    ...overrides,
  } satisfies ProjectRoute;
}

/**
 * Starts a healthy deployment of `project` (of its group `group`, a slug; absent: the default group)
 * on `on` (the runtime of most tests); returns its id.
 */
async function running(project: string, on: KubernetesRuntime = runtime, group?: string): Promise<string> {
  const spec: InstanceSpec = {
    project,
    ...(group ? { group } : {}),
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
  await on.start(spec);
  expect(await on.waitHealthy(spec, check)).toEqual({ healthy: true });
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
    const id = await running('forum', shared);
    const routes = new KubernetesRouter({ runtime: shared, kubeConfig, auth, extraLabels });
    const seen = fake.requests.length;
    await routes.prepare();
    await routes.upsertRoute(route('forum', id));
    expect(fake.get('ingresses', 'apps', 'forum')).toBeDefined();
    expect(await routes.listRoutes()).toEqual(['forum']);
    // Never a cluster-wide list: a Role in one namespace would refuse it.
    expect(fake.requests.slice(seen).filter((request) => request.path.endsWith('/v1/ingresses'))).toEqual([]);
    // Private in the shared namespace: one handshake Service for every project, kept on removal.
    await routes.upsertRoute(route('forum', id, { visibility: 'private' }));
    expect(fake.get('ingresses', 'apps', 'forum.rise-auth')).toBeDefined();
    const handshakeService = fake.get('services', 'apps', 'ra');
    expect(handshakeService?.metadata.labels?.['rise.dev/project']).toBeUndefined();
    expect(handshakeService?.metadata.labels).toMatchObject({ 'rise.dev/instance': 'prod' });
    expect(await routes.listRoutes()).toEqual(['forum']);
    await routes.removeRoute('forum');
    expect(fake.get('services', 'apps', 'forum')).toBeUndefined();
    expect(fake.get('ingresses', 'apps', 'forum.rise-auth')).toBeUndefined();
    expect(fake.get('services', 'apps', 'ra')).toBeDefined();
  });

  it("routes a private project's handshake to Rise through a second Ingress and an ExternalName Service", async () => {
    const id = await running('vault');
    const routes = router({ ingressClass: 'nginx', tls: { clusterIssuer: 'le' } });
    await routes.upsertRoute(route('vault', id, { visibility: 'private' }));
    const hosts = ['vault.apps.example.com', 'www.example.com'];

    const main = fake.get('ingresses', 'rise-vault', 'vault');
    expect(main?.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'le',
      'nginx.ingress.kubernetes.io/auth-url':
        'http://rise-web.rise.svc/api/proxy/auth?proxy=nginx&project=vault',
      'nginx.ingress.kubernetes.io/auth-signin': 'https://$http_host/.rise/auth/start',
      'nginx.ingress.kubernetes.io/auth-response-headers': 'X-Rise-User,Authorization,Cookie',
      'nginx.ingress.kubernetes.io/proxy-buffer-size': '24k',
    });
    const handshake = fake.get('ingresses', 'rise-vault', 'vault.rise-auth');
    expect(handshake?.metadata.labels).toMatchObject({ 'rise.dev/project': 'vault', 'rise.test': runId });
    // No forward-auth on it, and no cert-manager annotation: the project's Ingress owns the certificate.
    expect(handshake?.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/use-regex': 'true',
      'nginx.ingress.kubernetes.io/rewrite-target': '/api/proxy/app-auth/$1',
    });
    expect(handshake?.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts, secretName: 'vault-tls' }],
      rules: hosts.map((host) => ({
        host,
        http: {
          paths: [
            {
              path: '/\\.rise/auth/(start|complete)$',
              pathType: 'ImplementationSpecific',
              backend: { service: { name: 'ra', port: { number: 80 } } },
            },
          ],
        },
      })),
    });
    // What nginx does with the path and rewrite-target (`rewrite "(?i)<path>" <target> break;`).
    const target: string =
      handshake?.metadata.annotations?.['nginx.ingress.kubernetes.io/rewrite-target'] ?? '';
    const rewrite = (uri: string) => {
      const match = new RegExp(`^${handshake?.spec.rules[0].http.paths[0].path}`, 'i').exec(uri);
      return match ? target.replace('$1', match[1] ?? '') : null;
    };
    expect(rewrite('/.rise/auth/start')).toBe('/api/proxy/app-auth/start');
    expect(rewrite('/.rise/auth/complete')).toBe('/api/proxy/app-auth/complete');
    expect(rewrite('/.rise/auth/completed')).toBeNull();
    expect(rewrite('/xrise/auth/start')).toBeNull();
    expect(rewrite('/.rise/auth/')).toBeNull();

    const service = fake.get('services', 'rise-vault', 'ra');
    expect(service?.metadata.labels).toMatchObject({ 'rise.dev/project': 'vault' });
    expect(service?.spec).toMatchObject({
      type: 'ExternalName',
      externalName: 'rise-web.rise.svc.cluster.local',
      ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }],
    });

    // Rise moved (RISE_KUBE_RISE_SERVICE): the Service follows; unchanged, it is not rewritten.
    const moved = router({ auth: { ...auth, riseService: { host: 'rise.platform.svc', port: 3000 } } });
    await moved.upsertRoute(route('vault', id, { visibility: 'private' }));
    expect(fake.get('services', 'rise-vault', 'ra')?.spec).toMatchObject({
      externalName: 'rise.platform.svc',
      ports: [{ port: 3000, targetPort: 3000 }],
    });
    expect(
      fake.get('ingresses', 'rise-vault', 'vault.rise-auth')?.spec.rules[0].http.paths[0].backend,
    ).toEqual({
      service: { name: 'ra', port: { number: 3000 } },
    });
    const writes = fake.history.length;
    await moved.upsertRoute(route('vault', id, { visibility: 'private' }));
    expect(fake.history.slice(writes).map((entry) => entry.event)).not.toContainEqual(
      expect.stringMatching(/services\/ra$/),
    );

    // Stopped: neither Ingress; removed: nothing of the project is left.
    await routes.upsertRoute(route('vault', id, { visibility: 'private', state: 'stopped' }));
    expect(fake.get('ingresses', 'rise-vault', 'vault')).toBeUndefined();
    expect(fake.get('ingresses', 'rise-vault', 'vault.rise-auth')).toBeUndefined();
    await routes.upsertRoute(route('vault', id, { visibility: 'private' }));
    await routes.removeRoute('vault');
    expect(fake.list('ingresses', 'rise-vault')).toEqual([]);
    expect(fake.list('services', 'rise-vault')).toEqual([]);
  });

  it("refuses to take over a Service named like the handshake's that Rise did not make", async () => {
    const id = await running('notes');
    fake.seed({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ra', namespace: 'rise-notes', labels: { team: 'ops' } },
      spec: { type: 'ExternalName', externalName: 'evil.example.com' },
    });
    await expect(router().upsertRoute(route('notes', id, { visibility: 'private' }))).rejects.toThrow(
      /Service rise-notes\/ra exists but .*not touching it/,
    );
    expect(fake.get('services', 'rise-notes', 'ra')?.spec.externalName).toBe('evil.example.com');
    // No Ingress sends refused browsers to a handshake that does not reach Rise.
    expect(fake.get('ingresses', 'rise-notes', 'notes')).toBeUndefined();
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

  describe('deployment groups', () => {
    const groupRoute = (project: string, slug: string, deploymentId: string | null, overrides = {}) =>
      route(project, deploymentId, {
        group: slug,
        hosts: [groupHost(DEFAULT_GROUP_HOST_TEMPLATE, { project, group: slug, base: 'apps.example.com' })],
        ...overrides,
      });
    const selected = (namespace: string, name: string) =>
      fake.get('services', namespace, name)?.spec.selector['rise.dev/deployment'];
    const writesTo = (from: number, path: string) =>
      fake.history
        .slice(from)
        .map((entry) => entry.event)
        .filter((event) => /^(POST|PUT|PATCH|DELETE) /.test(event) && event.endsWith(path));

    it("gives a group its own Service and Ingress at the group's host; its deploys and removal leave the default group alone", async () => {
      const namespace = 'rise-preview';
      const live = await running('preview');
      const first = await running('preview', runtime, 'mr--26');
      const routes = router({ ingressClass: 'nginx', tls: { clusterIssuer: 'le' } });
      await routes.upsertRoute(route('preview', live));
      await routes.upsertRoute(groupRoute('preview', 'mr--26', first));

      const groupService = serviceName('preview', 'mr--26');
      expect(groupService).toMatch(/^preview-mr--26-[0-9a-f]{8}$/);
      expect(selected(namespace, 'preview')).toBe(live);
      expect(selected(namespace, groupService)).toBe(first);
      expect(fake.get('services', namespace, groupService)?.metadata.labels).toMatchObject({
        'rise.dev/project': 'preview',
        'rise.dev/group': 'mr--26',
      });
      const ingress = fake.get('ingresses', namespace, 'preview.group.mr--26');
      expect(ingress?.metadata.labels).toMatchObject({
        'rise.dev/instance': 'prod',
        'rise.dev/project': 'preview',
        'rise.dev/group': 'mr--26',
      });
      expect(ingress?.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'le' });
      expect(ingress?.spec).toEqual({
        ingressClassName: 'nginx',
        tls: [{ hosts: ['preview-mr--26.apps.example.com'], secretName: 'preview.group.mr--26-tls' }],
        rules: [
          {
            host: 'preview-mr--26.apps.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: groupService, port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      });
      // The default group's Ingress is as it was: its hosts only, its Service, its certificate.
      const main = fake.get('ingresses', namespace, 'preview');
      expect(main?.metadata.labels?.['rise.dev/group']).toBeUndefined();
      expect(main?.spec.tls).toEqual([
        { hosts: ['preview.apps.example.com', 'www.example.com'], secretName: 'preview-tls' },
      ]);
      expect(main?.spec.rules[0].http.paths[0].backend.service.name).toBe('preview');
      expect(await routes.listRoutes()).toEqual(expect.arrayContaining(['preview', 'preview.mr--26']));

      // Blue/green inside the group: only the group's Service moves.
      const second = await running('preview', runtime, 'mr--26');
      const before = fake.history.length;
      await routes.upsertRoute(groupRoute('preview', 'mr--26', second));
      expect(selected(namespace, groupService)).toBe(second);
      expect(selected(namespace, 'preview')).toBe(live);
      expect(writesTo(before, `/services/${groupService}`)).toEqual([
        `PATCH /api/v1/namespaces/${namespace}/services/${groupService}`,
      ]);
      expect(writesTo(before, '/services/preview')).toEqual([]);
      expect(writesTo(before, '/ingresses/preview')).toEqual([]);

      // And the default group's deploy leaves the group's Service where it is.
      const next = await running('preview');
      const mark = fake.history.length;
      await routes.upsertRoute(route('preview', next));
      expect(selected(namespace, 'preview')).toBe(next);
      expect(selected(namespace, groupService)).toBe(second);
      expect(writesTo(mark, `/services/${groupService}`)).toEqual([]);
      expect(writesTo(mark, '/ingresses/preview.group.mr--26')).toEqual([]);

      // A group's Service never selects another group's deployment.
      await expect(routes.upsertRoute(groupRoute('preview', 'mr--26', next))).rejects.toThrow(
        /runs for project preview, not for group mr--26 of project preview/,
      );
      await expect(routes.upsertRoute(route('preview', second))).rejects.toThrow(
        /runs for group mr--26 of project preview, not for project preview/,
      );
      expect(selected(namespace, groupService)).toBe(second);
      expect(selected(namespace, 'preview')).toBe(next);

      // Stopped: the group's Ingress goes, the default group's stays.
      await routes.upsertRoute(groupRoute('preview', 'mr--26', second, { state: 'stopped' }));
      expect(fake.get('ingresses', namespace, 'preview.group.mr--26')).toBeUndefined();
      expect(fake.get('ingresses', namespace, 'preview')).toBeDefined();
      expect(await routes.listRoutes()).not.toContain('preview.mr--26');

      // Removed: the group's Ingress and Service, nothing of the default group's.
      await routes.upsertRoute(groupRoute('preview', 'mr--26', second));
      await routes.removeRoute('preview.mr--26');
      expect(fake.get('ingresses', namespace, 'preview.group.mr--26')).toBeUndefined();
      expect(fake.get('services', namespace, groupService)).toBeUndefined();
      expect(fake.list('ingresses', namespace).map((item) => item.metadata.name)).toEqual(['preview']);
      expect(fake.list('services', namespace).map((item) => item.metadata.name)).toEqual(['preview']);
      expect(selected(namespace, 'preview')).toBe(next);
      expect(await routes.listRoutes()).toContain('preview');
      expect(await routes.listRoutes()).not.toContain('preview.mr--26');
      await routes.removeRoute('preview.mr--26'); // idempotent

      // Keys that no route has are refused, not taken for a project's.
      await expect(routes.removeRoute('preview.default')).rejects.toThrow(/invalid route key/);
      await expect(routes.removeRoute('preview.mr/26')).rejects.toThrow(/invalid group/);
      await expect(routes.removeRoute('preview.a.b')).rejects.toThrow(/invalid route key/);
      expect(fake.get('ingresses', namespace, 'preview')).toBeDefined();
    });

    it("puts a private project's groups behind forward-auth, each with its handshake Ingress; the handshake Service stays while one uses it", async () => {
      const namespace = 'rise-secret';
      const live = await running('secret');
      const preview = await running('secret', runtime, 'pr-7');
      // `rise-auth` is a valid group name: its Ingress is not the default group's handshake Ingress.
      const odd = await running('secret', runtime, 'rise-auth');
      const routes = router({ tls: { secretName: 'wildcard-tls' } });
      await routes.upsertRoute(route('secret', live, { visibility: 'private' }));
      await routes.upsertRoute(groupRoute('secret', 'pr-7', preview, { visibility: 'private' }));
      await routes.upsertRoute(groupRoute('secret', 'rise-auth', odd, { visibility: 'private' }));
      expect(
        fake
          .list('ingresses', namespace)
          .map((item) => item.metadata.name)
          .sort(),
      ).toEqual([
        'secret',
        'secret.group.pr-7',
        'secret.group.pr-7.rise-auth',
        'secret.group.rise-auth',
        'secret.group.rise-auth.rise-auth',
        'secret.rise-auth',
      ]);
      const host = 'secret-pr-7.apps.example.com';
      expect(fake.get('ingresses', namespace, 'secret.group.pr-7')?.metadata.annotations).toEqual({
        'nginx.ingress.kubernetes.io/auth-url':
          'http://rise-web.rise.svc/api/proxy/auth?proxy=nginx&project=secret',
        'nginx.ingress.kubernetes.io/auth-signin': 'https://$http_host/.rise/auth/start',
        'nginx.ingress.kubernetes.io/auth-response-headers': 'X-Rise-User,Authorization,Cookie',
        'nginx.ingress.kubernetes.io/proxy-buffer-size': '24k',
      });
      const handshake = fake.get('ingresses', namespace, 'secret.group.pr-7.rise-auth');
      expect(handshake?.metadata.labels).toMatchObject({
        'rise.dev/project': 'secret',
        'rise.dev/group': 'pr-7',
      });
      expect(handshake?.spec).toEqual({
        tls: [{ hosts: [host], secretName: 'wildcard-tls' }],
        rules: [
          {
            host,
            http: {
              paths: [
                {
                  path: '/\\.rise/auth/(start|complete)$',
                  pathType: 'ImplementationSpecific',
                  backend: { service: { name: 'ra', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      });
      expect((await routes.listRoutes()).filter((key) => key.startsWith('secret'))).toEqual([
        'secret',
        'secret.pr-7',
        'secret.rise-auth',
      ]);

      // The default group made public (or removed): the groups' handshakes still need Rise's Service.
      await routes.upsertRoute(route('secret', live));
      expect(fake.get('ingresses', namespace, 'secret.rise-auth')).toBeUndefined();
      expect(fake.get('services', namespace, 'ra')).toBeDefined();
      await routes.removeRoute('secret');
      await routes.removeRoute('secret.rise-auth');
      expect(fake.get('services', namespace, 'ra')).toBeDefined();
      expect(fake.get('ingresses', namespace, 'secret.group.pr-7.rise-auth')).toBeDefined();
      // The last one gone, so is the handshake Service.
      await routes.removeRoute('secret.pr-7');
      expect(fake.list('ingresses', namespace)).toEqual([]);
      expect(fake.list('services', namespace)).toEqual([]);
    });

    it('refuses, in a shared namespace, a Service of the same name that serves another project or group', async () => {
      fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
      const shared = new KubernetesRuntime({ kubeConfig, instance: 'prod', namespace: 'team', extraLabels });
      const routes = new KubernetesRouter({ runtime: shared, kubeConfig, auth, extraLabels });
      // A project named exactly like web's group mr--1's Service (see serviceName).
      const lookalike = serviceName('web', 'mr--1');
      const theirs = await running(lookalike, shared);
      await routes.upsertRoute(route(lookalike, theirs));
      const preview = await running('web', shared, 'mr--1');
      await expect(routes.upsertRoute(groupRoute('web', 'mr--1', preview))).rejects.toThrow(
        new RegExp(
          `Service team/${lookalike} exists but serves project ${lookalike}, not group mr--1 of project web; not touching it`,
        ),
      );
      expect(selected('team', lookalike)).toBe(theirs);
      await routes.removeRoute('web.mr--1');
      expect(selected('team', lookalike)).toBe(theirs);
      expect(fake.get('ingresses', 'team', lookalike)).toBeDefined();

      // The other way round: the group was first.
      await routes.removeRoute(lookalike);
      await routes.upsertRoute(groupRoute('web', 'mr--1', preview));
      await expect(routes.upsertRoute(route(lookalike, theirs))).rejects.toThrow(
        new RegExp(`serves group mr--1 of project web, not project ${lookalike}`),
      );
      expect(selected('team', lookalike)).toBe(preview);
      expect(await routes.listRoutes()).toEqual(['web.mr--1']);
      await shared.deleteProject(lookalike);
      expect(selected('team', lookalike)).toBe(preview);
      await routes.removeRoute('web.mr--1');
      expect(fake.list('services', 'team')).toEqual([]);
      expect(fake.list('ingresses', 'team')).toEqual([]);
    });
  });
});
