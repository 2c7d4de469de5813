import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import type { KubernetesRuntime } from '@/server/runtime/kubernetes/kubernetes-runtime';
import { FakeKubernetesApi } from '../../../../test/fake-kubernetes-api';
import { apiAs, createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import { raiseNotification } from '../notifications/notification.service';
import { deploymentRepo } from './deployment.repo';
import { newDeploymentId } from './deployment-id';
import type { EngineDeps } from './engine-deps';
import { reconcile } from './reconcile';
import { runDeployment } from './run-deployment';
import { kubernetesEngineDeps } from './testing/kubernetes-engine-deps';

// Crashes on Kubernetes, which restarts pods itself: the reconciler (real, over PostgreSQL) only
// records what the pods' status tells (restart count, last exit code, CrashLoopBackOff), against the
// fake Kubernetes API server, whose kubelet is told when a container crashes.

const runId = randomBytes(3).toString('hex');
const REGISTRY = 'registry.example.com';
const STABLE_AFTER_MS = 600_000;
let fake: FakeKubernetesApi;
let runtime: KubernetesRuntime;
let deps: EngineDeps;
let owner: TestUser;

const api = () => apiAs(userCaller(owner));

beforeAll(async () => {
  fake = await FakeKubernetesApi.start({ token: `token-${runId}`, readyAfterMs: 60 });
  ({ deps, runtime } = kubernetesEngineDeps(fake, runId, {
    notify: raiseNotification,
    settings: {
      restartBackoff: { initialMs: 1000, maxMs: 8000 },
      crashLoop: { restarts: 3, stableAfterMs: STABLE_AFTER_MS },
    },
  }));
  owner = await createUser();
});

afterAll(async () => {
  await fake?.stop();
  expect(fake?.rejections).toEqual([]);
});

async function deployedApp() {
  const name = `kc-${runId}-${randomBytes(2).toString('hex')}`;
  await api().project.create({ name, port: 8080, healthPath: '/health', runtime: 'kubernetes' });
  const project = await getDb().project.update({ where: { name }, data: { desiredState: 'running' } });
  const created = await deploymentRepo.create({
    id: newDeploymentId(),
    projectId: project.id,
    status: 'pushed',
    image: `${REGISTRY}/apps/web:v1`,
  });
  await runDeployment(deps, created.id);
  const deployment = await deploymentRepo.findById(created.id);
  expect(deployment?.status).toBe('healthy');
  return { name, project, deploymentId: created.id, namespace: runtime.namespaceFor(name) };
}

const reconcileKubernetes = (now?: Date) => reconcile(deps, now, { runtime: 'kubernetes' });
const crashLoopNotifications = (projectId: string) =>
  getDb().notificationEvent.findMany({ where: { projectId, kind: 'app.crash-looping' } });
/** Writes to the app's Kubernetes Deployment (a restart by Rise would be one: a restartedAt patch). */
const deploymentWrites = () =>
  fake.requests.filter((request) => request.method !== 'GET' && request.path.includes('/deployments/'))
    .length;

describe('crashes on Kubernetes', () => {
  it('shows the restarts Kubernetes made, and CrashLoopBackOff as crash-looping, told once', async () => {
    const { name, project, deploymentId, namespace } = await deployedApp();
    const pods = { namespace, labels: { 'rise.dev/deployment': deploymentId } };
    const view = async () =>
      (await api().deployment.get({ project: name, deployment: deploymentId })).crashes;
    expect(await view()).toBeNull();

    // One crash, restarted by Kubernetes at once.
    expect(fake.crashContainers(pods, { exitCode: 3, logs: ['panic: boom'], backOff: false })).toBe(1);
    const writes = deploymentWrites();
    const first = await reconcileKubernetes();
    expect(first.restarted).toBe(0);
    expect(deploymentWrites()).toBe(writes);
    expect(await view()).toMatchObject({ restarts: 1, lastExitCode: 3, crashLoopingSince: null });
    expect((await view())?.lastLogLines).toContain('panic: boom');
    expect((await deploymentRepo.findById(deploymentId))?.status).toBe('healthy');
    // Seen once: another pass records nothing new.
    await reconcileKubernetes();
    const events = await getDb().deploymentEvent.findMany({ where: { deploymentId } });
    expect(events.filter((event) => event.message.includes('kubernetes restarted it'))).toHaveLength(1);
    expect(await crashLoopNotifications(project.id)).toHaveLength(0);

    // Kubernetes' timestamps have whole seconds: the next crash ends in a later one.
    await sleep(1100);
    fake.crashContainers(pods, { exitCode: 4, logs: ['panic: again'], backOff: true });
    await reconcileKubernetes();
    const looping = await view();
    expect(looping).toMatchObject({ restarts: 2, lastExitCode: 4 });
    expect(looping?.crashLoopingSince).not.toBeNull();
    expect(await crashLoopNotifications(project.id)).toHaveLength(1);
    const [notification] = await crashLoopNotifications(project.id);
    expect(notification?.title).toBe(
      `${name} is crash-looping: restarted 2 times without running stable (last: exited with code 4)`,
    );
    await reconcileKubernetes();
    expect(await crashLoopNotifications(project.id)).toHaveLength(1);
    expect(deploymentWrites()).toBe(writes);

    // Running again: once it has run for the stable period, the loop is over.
    await sleep(1100);
    fake.crashContainers(pods, { exitCode: 4, backOff: false });
    await reconcileKubernetes();
    expect((await view())?.crashLoopingSince).not.toBeNull();
    await reconcileKubernetes(new Date(Date.now() + STABLE_AFTER_MS + 1000));
    expect(await view()).toBeNull();
    expect(await crashLoopNotifications(project.id)).toHaveLength(1);
  }, 60_000);
});
