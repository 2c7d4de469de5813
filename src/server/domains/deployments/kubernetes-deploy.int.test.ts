import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { PGBOSS_SCHEMA } from '@/server/jobs/queues';
import type { KubernetesRuntime } from '@/server/runtime/kubernetes/kubernetes-runtime';
import { serviceName } from '@/server/runtime/kubernetes/names';
import { inTransaction } from '@/server/transaction';
import { FakeKubernetesApi, type KubeObject } from '../../../../test/fake-kubernetes-api';
import { apiAs, createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import { projectRepo } from '../projects/project.repo';
import { groupHostOf } from '../projects/project-url';
import { deploymentRepo } from './deployment.repo';
import { ensureGroup } from './deployment-groups.service';
import { newDeploymentId } from './deployment-id';
import type { EngineDeps } from './engine-deps';
import { expireDeployment } from './expire-deployments';
import { routeFor } from './routing';
import { runDeployment } from './run-deployment';
import { removeProjectResources, stopProject } from './stop-project';
import { kubernetesEngineDeps } from './testing/kubernetes-engine-deps';

// The real deploy engine (runDeployment, stopProject, removeProjectResources) and PostgreSQL, with the
// Kubernetes runtime and router against the fake Kubernetes API server (test/fake-kubernetes-api.ts),
// which validates every object written and records the order of writes and readiness.

const runId = randomBytes(3).toString('hex');
const BASE = 'apps.example.com';
const REGISTRY = 'registry.example.com';
let fake: FakeKubernetesApi;
let runtime: KubernetesRuntime;
let deps: EngineDeps;
let owner: TestUser;

const api = () => apiAs(userCaller(owner));

beforeAll(async () => {
  fake = await FakeKubernetesApi.start({ token: `token-${runId}`, readyAfterMs: 60 });
  ({ deps, runtime } = kubernetesEngineDeps(fake, runId));
  owner = await createUser();
});

afterAll(async () => {
  await fake?.stop();
  // Every object Rise wrote was valid for the Kubernetes schemas and the API server's checks.
  expect(fake?.rejections).toEqual([]);
});

async function createProject(options: { visibility?: 'public' | 'private' } = {}) {
  const name = `kd-${runId}-${randomBytes(2).toString('hex')}`;
  const created = await api().project.create({
    name,
    port: 8080,
    healthPath: '/health',
    runtime: 'kubernetes',
    visibility: options.visibility ?? 'public',
  });
  expect(created.runtime).toBe('kubernetes');
  const project = await getDb().project.update({ where: { name }, data: { desiredState: 'running' } });
  return { name, project, namespace: runtime.namespaceFor(name) };
}

async function deploy(projectId: string, image: string) {
  const deployment = await deploymentRepo.create({
    id: newDeploymentId(),
    projectId,
    status: 'pushed',
    image,
  });
  await runDeployment(deps, deployment.id);
  return (await deploymentRepo.findById(deployment.id))!;
}

const selectorOf = (service: KubeObject | undefined) => service?.spec?.selector?.['rise.dev/deployment'];
const deploymentNames = (namespace: string) =>
  fake.list('deployments', namespace).map((deployment) => deployment.metadata.name);

describe('the deploy engine on Kubernetes', () => {
  it('switches the Service only after the new version is ready, keeps it through a failed rollout, and stops and deletes', async () => {
    const { name, project, namespace } = await createProject();

    // (a) v1: healthy, the Service selects it, the Ingress serves <project>.<base>.
    const v1 = await deploy(project.id, `${REGISTRY}/apps/web:v1`);
    expect(v1).toMatchObject({ status: 'healthy', error: null });
    expect(selectorOf(fake.get('services', namespace, name))).toBe(v1.id);
    const ingress = fake.get('ingresses', namespace, name);
    expect(ingress?.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'rise',
      'rise.dev/instance': `test-${runId}`,
      'rise.dev/project': name,
    });
    expect(ingress?.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(ingress?.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: [`${name}.${BASE}`], secretName: `${name}-tls` }],
      rules: [
        {
          host: `${name}.${BASE}`,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }],
          },
        },
      ],
    });
    expect(await deps.proxy.listRoutes()).toContain(name);

    // (b) v2: the selector moves to v2 only after v2's Deployment is ready; v1 goes afterwards.
    const historyStart = fake.history.length;
    const v2 = await deploy(project.id, `${REGISTRY}/apps/web:v2`);
    expect(v2).toMatchObject({ status: 'healthy', slot: 'b' });
    expect((await deploymentRepo.findById(v1.id))?.status).toBe('superseded');
    const events = fake.history.slice(historyStart);
    const at = (predicate: (entry: (typeof events)[number]) => boolean) => events.findIndex(predicate);
    const ready = at((entry) => entry.event === `READY ${namespace}/${name}-${v2.id}`);
    const switched = at(
      (entry) =>
        entry.event === `PATCH /api/v1/namespaces/${namespace}/services/${name}` &&
        JSON.stringify(entry.body).includes(v2.id),
    );
    const removed = at(
      (entry) => entry.event === `DELETE /apis/apps/v1/namespaces/${namespace}/deployments/${name}-${v1.id}`,
    );
    expect(ready).toBeGreaterThanOrEqual(0);
    expect(switched).toBeGreaterThan(ready);
    expect(removed).toBeGreaterThan(switched);
    expect(selectorOf(fake.get('services', namespace, name))).toBe(v2.id);
    expect(deploymentNames(namespace)).toEqual([`${name}-${v2.id}`]);

    // (c) a rollout that crashes fails with the pod's reason; v2 keeps serving.
    const v3 = await deploy(project.id, `${REGISTRY}/apps/crash:v3`);
    expect(v3.status).toBe('failed');
    expect(v3.error).toMatch(/CrashLoopBackOff/);
    expect(v3.error).toMatch(/previous version keeps serving/);
    expect(selectorOf(fake.get('services', namespace, name))).toBe(v2.id);
    expect(deploymentNames(namespace)).toEqual([`${name}-${v2.id}`]);
    expect((await deploymentRepo.findById(v2.id))?.status).toBe('healthy');
    expect(fake.get('ingresses', namespace, name)).toBeDefined();

    // (e) stop: no Ingress (the controller answers for the hosts), no instances.
    await projectRepo.setDesiredState(project.id, 'stopped');
    await stopProject(deps, project.id);
    expect(fake.get('ingresses', namespace, name)).toBeUndefined();
    expect(deploymentNames(namespace)).toEqual([]);
    expect((await deploymentRepo.findById(v2.id))?.status).toBe('stopped');
    expect(await deps.proxy.listRoutes()).not.toContain(name);

    // (f) delete: the job carries the runtime; the namespace goes with everything in it.
    await api().project.delete({ project: name });
    const jobs = await getDb().$queryRawUnsafe<{ data: { runtime?: string } }[]>(
      `SELECT data FROM ${PGBOSS_SCHEMA}.job WHERE name = 'project-delete' AND data->>'projectName' = $1`,
      name,
    );
    expect(jobs.map((job) => job.data.runtime)).toEqual(['kubernetes']);
    await removeProjectResources(deps, name);
    await fake.waitFor(() => fake.get('namespaces', null, namespace) === undefined);
    expect(fake.list('services', namespace)).toEqual([]);
  });

  it("puts a private project's Ingress behind forward-auth to Rise, with the sign-in handshake routed to Rise", async () => {
    const { name, project, namespace } = await createProject({ visibility: 'private' });
    const v1 = await deploy(project.id, `${REGISTRY}/apps/web:private`);
    expect(v1.status).toBe('healthy');
    const host = `${name}.${BASE}`;
    expect(fake.get('ingresses', namespace, name)?.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt',
      'nginx.ingress.kubernetes.io/auth-url': `https://rise.example.com/api/proxy/auth?proxy=nginx&project=${name}`,
      'nginx.ingress.kubernetes.io/auth-signin': 'https://$http_host/.rise/auth/start',
      'nginx.ingress.kubernetes.io/auth-response-headers': 'X-Rise-User,Authorization,Cookie',
      'nginx.ingress.kubernetes.io/proxy-buffer-size': '24k',
    });
    const handshake = fake.get('ingresses', namespace, `${name}.rise-auth`);
    expect(handshake?.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/use-regex': 'true',
      'nginx.ingress.kubernetes.io/rewrite-target': '/api/proxy/app-auth/$1',
    });
    expect(handshake?.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: [host], secretName: `${name}-tls` }],
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
    expect(fake.get('services', namespace, 'ra')?.spec).toMatchObject({
      type: 'ExternalName',
      externalName: 'rise-web.rise.svc.cluster.local',
      ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }],
    });

    // Made public: the route is rewritten without them, and the handshake's objects go.
    await getDb().project.update({ where: { id: project.id }, data: { visibility: 'public' } });
    const found = await projectRepo.findForDeploy(project.id);
    await deps.proxy.upsertRoute(routeFor(found!, 'running', deps.settings));
    expect(fake.get('ingresses', namespace, name)?.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt',
    });
    expect(fake.get('ingresses', namespace, `${name}.rise-auth`)).toBeUndefined();
    expect(fake.get('services', namespace, 'ra')).toBeUndefined();

    await removeProjectResources(deps, name);
    await getDb().project.delete({ where: { id: project.id } });
  });
});

describe('deployment groups on Kubernetes', () => {
  /** A deployment of `group` (created with the group, as `rise d c -g` does), run by the engine. */
  async function deployIn(
    project: { id: string; name: string },
    group: string,
    image: string,
    expiresAt: Date,
  ) {
    const id = newDeploymentId();
    await inTransaction(async (tx) => {
      await ensureGroup(tx, project, group);
      await deploymentRepo.create(
        { id, projectId: project.id, status: 'pushed', image, group, expiresAt },
        tx,
      );
    });
    await runDeployment(deps, id);
    return (await deploymentRepo.findById(id))!;
  }
  const writesTo = (from: number, path: string) =>
    fake.history
      .slice(from)
      .map((entry) => entry.event)
      .filter((event) => /^(POST|PUT|PATCH|DELETE) /.test(event) && event.endsWith(path));

  it('runs group mr/26 beside the default group with its own Service and Ingress, blue/green inside it, and its expiry removes only its objects', async () => {
    const { name, project, namespace } = await createProject();
    const groupService = serviceName(name, 'mr--26');
    const groupIngress = `${name}.group.mr--26`;
    const host = groupHostOf(name, 'mr/26');
    const later = new Date(Date.now() + 3_600_000);

    // The default group, as before groups.
    const live = await deploy(project.id, `${REGISTRY}/apps/web:live`);
    expect(live.status).toBe('healthy');

    // Group mr/26: a second Service and Ingress, at the group's host.
    const first = await deployIn(project, 'mr/26', `${REGISTRY}/apps/web:mr-26-a`, later);
    expect(first).toMatchObject({ status: 'healthy', group: 'mr/26', error: null });
    expect(
      fake
        .list('services', namespace)
        .map((service) => service.metadata.name)
        .sort(),
    ).toEqual([name, groupService].sort());
    expect(
      fake
        .list('ingresses', namespace)
        .map((ingress) => ingress.metadata.name)
        .sort(),
    ).toEqual([name, groupIngress].sort());
    expect(selectorOf(fake.get('services', namespace, name))).toBe(live.id);
    expect(selectorOf(fake.get('services', namespace, groupService))).toBe(first.id);
    const ingress = fake.get('ingresses', namespace, groupIngress);
    expect(ingress?.metadata.labels).toMatchObject({ 'rise.dev/project': name, 'rise.dev/group': 'mr--26' });
    expect(ingress?.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: [host], secretName: `${groupIngress}-tls` }],
      rules: [
        {
          host,
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
    expect(
      fake.get('ingresses', namespace, name)?.spec.rules.map((rule: { host: string }) => rule.host),
    ).toEqual([`${name}.${BASE}`]);
    expect(
      fake.get('deployments', namespace, `${name}-${first.id}`)?.metadata.labels?.['rise.dev/group'],
    ).toBe('mr--26');
    expect(await deps.proxy.listRoutes()).toEqual(expect.arrayContaining([name, `${name}.mr--26`]));

    // Redeploy mr/26: blue/green inside the group; the default group's objects see no write.
    const historyStart = fake.history.length;
    const second = await deployIn(project, 'mr/26', `${REGISTRY}/apps/web:mr-26-b`, later);
    expect(second).toMatchObject({ status: 'healthy', slot: 'b' });
    expect((await deploymentRepo.findById(first.id))?.status).toBe('superseded');
    const events = fake.history.slice(historyStart);
    const ready = events.findIndex((entry) => entry.event === `READY ${namespace}/${name}-${second.id}`);
    const switched = events.findIndex(
      (entry) =>
        entry.event === `PATCH /api/v1/namespaces/${namespace}/services/${groupService}` &&
        JSON.stringify(entry.body).includes(second.id),
    );
    expect(ready).toBeGreaterThanOrEqual(0);
    expect(switched).toBeGreaterThan(ready);
    expect(selectorOf(fake.get('services', namespace, groupService))).toBe(second.id);
    expect(selectorOf(fake.get('services', namespace, name))).toBe(live.id);
    expect(writesTo(historyStart, `/services/${name}`)).toEqual([]);
    expect(writesTo(historyStart, `/ingresses/${name}`)).toEqual([]);
    expect(writesTo(historyStart, `/deployments/${name}-${live.id}`)).toEqual([]);
    expect(deploymentNames(namespace).sort()).toEqual([`${name}-${live.id}`, `${name}-${second.id}`].sort());

    // mr/26 expires: its Service, Ingress and Deployment go; the default group keeps serving.
    const expiryStart = fake.history.length;
    expect(await expireDeployment(deps, second.id, new Date(later.getTime() + 1000))).toBe(true);
    expect((await deploymentRepo.findById(second.id))?.status).toBe('expired');
    expect(fake.get('services', namespace, groupService)).toBeUndefined();
    expect(fake.get('ingresses', namespace, groupIngress)).toBeUndefined();
    expect(deploymentNames(namespace)).toEqual([`${name}-${live.id}`]);
    expect(fake.list('services', namespace).map((service) => service.metadata.name)).toEqual([name]);
    expect(fake.list('ingresses', namespace).map((item) => item.metadata.name)).toEqual([name]);
    expect(selectorOf(fake.get('services', namespace, name))).toBe(live.id);
    expect(writesTo(expiryStart, `/services/${name}`)).toEqual([]);
    expect(writesTo(expiryStart, `/ingresses/${name}`)).toEqual([]);
    expect((await deploymentRepo.findById(live.id))?.status).toBe('healthy');
    const routes = await deps.proxy.listRoutes();
    expect(routes).toContain(name);
    expect(routes).not.toContain(`${name}.mr--26`);

    await removeProjectResources(deps, name);
    await getDb().project.delete({ where: { id: project.id } });
  });
});
