import { describe, expect, it } from 'vitest';
import { HostPortInUseError } from '@/server/runtime/types';
import { DEPLOYMENT_DONE, TRAFFIC_NOT_MOVED } from './deployment-logs';
import type { EngineSettings } from './engine-deps';
import { CANCEL_POLL_MS, runDeployment, TRAFFIC_SWITCHED } from './run-deployment';
import { fakeEngine } from './testing/fake-engine';
import { FakeImages } from './testing/fake-images';
import type { StoredDeployment } from './testing/in-memory-engine-store';

// Every branch of runDeployment on in-memory fakes (testing/). The same engine against PostgreSQL,
// Docker and Caddy: test/deploy-engine.int.test.ts, reconcile.int.test.ts, redeploy-*.int.test.ts.

const image = (tag: string) => `registry.test/shop:${tag}`;
const pinned = (tag: string) => FakeImages.pinnedReference(image(tag));

function setup(options: { settings?: Partial<EngineSettings>; env?: Record<string, string> } = {}) {
  const engine = fakeEngine(options);
  const project = engine.store.addProject({ name: 'shop', healthPath: '/health', cpuLimit: 0.5 });
  const queue = (tag: string, extra: Partial<StoredDeployment> = {}) =>
    engine.store.addDeployment({ projectId: project.id, image: image(tag), status: 'pushed', ...extra });
  /** The project serving `tag`, deployed by the engine. */
  const serving = async (tag: string) => {
    const deployment = queue(tag);
    await runDeployment(engine.deps, deployment.id);
    expect(engine.store.deployment(deployment.id).status).toBe('healthy');
    return deployment;
  };
  /** An instance running `tag` in `slot` (on that slot's port) for the deployment, as a worker left it. */
  const startedEarlier = (deploymentId: string, tag: string, slot: 'a' | 'b') =>
    engine.runtime.start({
      project: 'shop',
      deploymentId,
      slot,
      image: pinned(tag),
      port: 8080,
      env: {},
      cpuLimit: null,
      memoryLimitMb: null,
      hostPort: slot === 'a' ? 20000 : 20001,
    });
  const route = () => engine.router.routes.get('shop');
  return { ...engine, project, queue, serving, startedEarlier, route };
}

describe('runDeployment: the way to healthy', () => {
  it('starts a first deployment in slot a, and once healthy makes it active and routes traffic to it', async () => {
    const { deps, store, runtime, clock, project, queue, route } = setup({ env: { GREETING: 'hi' } });
    const deployment = queue('v1');

    await runDeployment(deps, deployment.id);

    const row = store.deployment(deployment.id);
    expect(row).toMatchObject({
      status: 'healthy',
      slot: 'a',
      imageDigest: FakeImages.digestOf(image('v1')),
    });
    expect(row.healthyAt).toEqual(clock.now());
    expect(store.project(project.id)).toMatchObject({
      activeDeploymentId: deployment.id,
      slotPortA: 20000,
      slotPortB: 20001,
    });
    expect(runtime.instance('shop', deployment.id)?.spec).toEqual({
      project: 'shop',
      deploymentId: deployment.id,
      slot: 'a',
      image: pinned('v1'),
      port: 8080,
      healthPath: '/health',
      env: { GREETING: 'hi' },
      cpuLimit: 0.5,
      memoryLimitMb: null,
      hostPort: 20000,
      slotHostPorts: [20000, 20001],
      replicas: 1,
    });
    expect(runtime.callsOf('waitHealthy')[0]?.check).toMatchObject({ path: '/health', attempts: 10 });
    expect(route()).toMatchObject({
      state: 'running',
      upstream: '127.0.0.1:20000',
      activeDeploymentId: deployment.id,
      hosts: ['shop.apps.test'],
    });
    expect(store.eventsOf(deployment.id)).toEqual([
      `Resolving ${image('v1')}`,
      `Starting ${image('v1')} (${FakeImages.digestOf(image('v1')).slice(0, 19)}) in slot a`,
      'Waiting for GET /health on port 8080 to succeed',
      'Healthy: moving traffic to slot a',
      TRAFFIC_SWITCHED('a'),
      DEPLOYMENT_DONE,
    ]);
    // The cancel watcher of the health wait is gone.
    expect(clock.pending()).toEqual([]);
  });

  it("starts a deployment with its own env overrides winning over the project's env vars, and the next one without them", async () => {
    const { runtime, envOverrides, queue, deps } = setup({ env: { FOO: 'project', KEPT: 'yes' } });
    const preview = queue('v1');
    envOverrides.set(preview.id, { FOO: 'preview', ONLY: 'here' });

    await runDeployment(deps, preview.id);
    expect(runtime.instance('shop', preview.id)?.spec.env).toEqual({
      FOO: 'preview',
      KEPT: 'yes',
      ONLY: 'here',
    });
    const next = queue('v2');
    await runDeployment(deps, next.id);

    expect(runtime.instance('shop', next.id)?.spec.env).toEqual({ FOO: 'project', KEPT: 'yes' });
  });

  it('starts the next version in the other slot, switches the route, and removes the old instance only after the settle pause', async () => {
    const { deps, store, runtime, clock, project, queue, serving, route } = setup({
      settings: { settleMs: 5000 },
    });
    const first = await serving('v1');
    const second = queue('v2');

    const running = runDeployment(deps, second.id);
    await clock.sleepingFor(5000);
    // Traffic already moved; the old instance still answers the requests it had.
    expect(route()).toMatchObject({ upstream: '127.0.0.1:20001', activeDeploymentId: second.id });
    expect(store.deployment(first.id)).toMatchObject({
      status: 'superseded',
      terminationReason: 'superseded',
    });
    expect(runtime.instance('shop', first.id)?.state).toBe('running');

    clock.advance(5000);
    await running;
    expect(runtime.instance('shop', first.id)).toBeUndefined();
    expect(runtime.callsOf('remove')).toEqual([
      { method: 'remove', project: 'shop', deploymentId: first.id, graceMs: 3000 },
    ]);
    expect(store.deployment(second.id)).toMatchObject({ status: 'healthy', slot: 'b' });
    expect(store.project(project.id).activeDeploymentId).toBe(second.id);
    expect(store.eventsOf(first.id).at(-1)).toBe(`Superseded by ${second.id}; instance removed`);
    expect(store.eventsOf(second.id).slice(-2)).toEqual([TRAFFIC_SWITCHED('b'), DEPLOYMENT_DONE]);
  });

  it('runs a pinned digest (rollback, redeploy) without resolving the image again', async () => {
    const { deps, store, images, runtime, queue } = setup();
    const deployment = queue('v1', { imageDigest: FakeImages.digestOf(image('v1')) });

    await runDeployment(deps, deployment.id);

    expect(images.resolved).toEqual([]);
    expect(store.eventsOf(deployment.id)).not.toContain(`Resolving ${image('v1')}`);
    expect(runtime.instance('shop', deployment.id)?.spec.image).toBe(pinned('v1'));
    expect(store.deployment(deployment.id).status).toBe('healthy');
  });

  it('in network upstream mode gives the project no host ports and routes to the slot alias', async () => {
    const { deps, store, runtime, project, queue, route } = setup({ settings: { upstreamMode: 'network' } });
    const deployment = queue('v1');

    await runDeployment(deps, deployment.id);

    expect(store.project(project.id)).toMatchObject({ slotPortA: null, slotPortB: null });
    expect(runtime.instance('shop', deployment.id)?.spec).toMatchObject({
      hostPort: null,
      slotHostPorts: undefined,
    });
    expect(route()).toMatchObject({ upstream: 'rise-shop-a:8080', activeDeploymentId: deployment.id });
  });
});

describe('runDeployment: failures', () => {
  it('a failing health check fails the deployment with its reason, removes the new instance and keeps the previous version serving', async () => {
    const { deps, store, runtime, project, queue, serving, route } = setup();
    const first = await serving('v1');
    runtime.setHealth(pinned('v2'), { healthy: false, error: 'GET /health returned 500' });
    const second = queue('v2');

    await runDeployment(deps, second.id);

    const error = 'health check failed: GET /health returned 500. The previous version keeps serving.';
    expect(store.deployment(second.id)).toMatchObject({
      status: 'failed',
      terminationReason: 'failed',
      error,
    });
    expect(store.events.at(-1)).toMatchObject({ message: `Deployment failed: ${error}`, level: 'error' });
    expect(runtime.instance('shop', second.id)).toBeUndefined();
    expect(runtime.callsOf('remove')).toEqual([
      { method: 'remove', project: 'shop', deploymentId: second.id, graceMs: 0 },
    ]);
    expect(store.project(project.id).activeDeploymentId).toBe(first.id);
    expect(store.deployment(first.id).status).toBe('healthy');
    expect(runtime.instance('shop', first.id)?.state).toBe('running');
    expect(route()).toMatchObject({ upstream: '127.0.0.1:20000', activeDeploymentId: first.id });
  });

  it('an image the project may not run (FORBIDDEN) fails the deployment with the reason; nothing starts', async () => {
    const { deps, store, images, runtime, queue } = setup();
    images.refuse(image('v1'), "another project's repository");
    const deployment = queue('v1');

    await runDeployment(deps, deployment.id);

    expect(store.deployment(deployment.id)).toMatchObject({
      status: 'failed',
      error: `Project 'shop' may not run ${image('v1')}: another project's repository`,
    });
    expect(runtime.callsOf('start')).toEqual([]);
  });

  it('a pinned digest the project may no longer run is refused when it starts, though it needs no resolving', async () => {
    const { deps, store, images, runtime, queue } = setup();
    images.refuse(image('v1'), 'the image lost its project label');
    const deployment = queue('v1', { imageDigest: FakeImages.digestOf(image('v1')) });

    await runDeployment(deps, deployment.id);

    expect(store.deployment(deployment.id).status).toBe('failed');
    expect(store.deployment(deployment.id).error).toContain('the image lost its project label');
    expect(runtime.callsOf('start')).toEqual([]);
  });

  it('the runtime failing to start the instance fails the deployment with its error', async () => {
    const { deps, store, runtime, project, queue } = setup();
    runtime.failNext('start', `image ${pinned('v1')} is not present locally`);
    const deployment = queue('v1');

    await runDeployment(deps, deployment.id);

    expect(store.deployment(deployment.id)).toMatchObject({
      status: 'failed',
      error: `image ${pinned('v1')} is not present locally`,
    });
    expect(store.project(project.id).activeDeploymentId).toBeNull();
  });

  it('a slot host port taken since the slot got it: the slot moves to a free port, says so, and the start is retried', async () => {
    const { deps, store, runtime, project, queue, route } = setup();
    runtime.failNext('start', new HostPortInUseError(20000, 'held by another installation'));
    const deployment = queue('v1');

    await runDeployment(deps, deployment.id);

    expect(store.project(project.id)).toMatchObject({ slotPortA: 20002, slotPortB: 20001 });
    expect(runtime.callsOf('start').map((call) => call.spec.hostPort)).toEqual([20000, 20002]);
    expect(runtime.instance('shop', deployment.id)?.spec.slotHostPorts).toEqual([20002, 20001]);
    expect(store.events).toContainEqual(
      expect.objectContaining({
        message:
          'host port 20000 is already in use: held by another installation. Slot a of shop moves to host port 20002; starting again',
        level: 'warn',
      }),
    );
    expect(route()?.upstream).toBe('127.0.0.1:20002');
    expect(store.deployment(deployment.id).status).toBe('healthy');
  });

  it('no free port left in the range fails the deployment, naming the range', async () => {
    const { deps, store, runtime, queue } = setup({ settings: { portRange: [20000, 20001] } });
    store.addProject({ name: 'other', slotPortA: 20001, slotPortB: null });
    const deployment = queue('v1');

    await runDeployment(deps, deployment.id);

    expect(store.deployment(deployment.id).status).toBe('failed');
    expect(store.deployment(deployment.id).error).toMatch(
      /^no free port left in RISE_APP_PORT_RANGE 20000-20001/,
    );
    expect(runtime.calls).toEqual([]);
  });

  it('a deployment without an image fails saying so', async () => {
    const { deps, store, runtime, queue } = setup();
    const deployment = queue('v1', { image: null });

    await runDeployment(deps, deployment.id);

    expect(store.deployment(deployment.id)).toMatchObject({
      status: 'failed',
      error: 'the deployment has no image to run',
    });
    expect(runtime.calls).toEqual([]);
  });

  it('the route write failing commits nothing: the deployment fails, its instance goes, the previous version stays active and serving', async () => {
    const { deps, store, runtime, router, project, queue, serving } = setup();
    const first = await serving('v1');
    router.failNext('upsertRoute', 'Caddy admin API unreachable');
    const second = queue('v2');

    await runDeployment(deps, second.id);

    expect(store.deployment(second.id)).toMatchObject({
      status: 'failed',
      error: `${TRAFFIC_NOT_MOVED}: Caddy admin API unreachable. The previous version keeps serving.`,
    });
    expect(store.deployment(first.id).status).toBe('healthy');
    expect(store.project(project.id).activeDeploymentId).toBe(first.id);
    expect(runtime.instance('shop', second.id)).toBeUndefined();
    expect(runtime.instance('shop', first.id)?.state).toBe('running');
    expect(store.eventsOf(second.id)).not.toContain(DEPLOYMENT_DONE);
  });
});

describe('runDeployment: cancel', () => {
  it('cancelled during the health wait: the wait ends, the new instance goes, the deployment is cancelled and the previous version keeps serving', async () => {
    const { deps, store, runtime, clock, project, queue, serving, route } = setup();
    const first = await serving('v1');
    const held = runtime.holdHealth(pinned('v2'));
    const second = queue('v2');

    const running = runDeployment(deps, second.id);
    await held.waiting;
    // What cancelDeployment writes; the engine sees it at its next look.
    await store.repos.deployments.transition(second.id, 'deploying', 'cancelling');
    clock.advance(CANCEL_POLL_MS);
    await running;

    expect(store.deployment(second.id)).toMatchObject({
      status: 'cancelled',
      terminationReason: 'cancelled',
    });
    expect(store.events.at(-1)).toMatchObject({ message: 'Deployment cancelled', level: 'warn' });
    expect(runtime.instance('shop', second.id)).toBeUndefined();
    expect(store.project(project.id).activeDeploymentId).toBe(first.id);
    expect(route()?.activeDeploymentId).toBe(first.id);
    expect(runtime.instance('shop', first.id)?.state).toBe('running');
  });

  it('cancelled just as the health check passes: cancelled, never made active', async () => {
    const { deps, store, runtime, project, queue, router } = setup();
    const held = runtime.holdHealth(pinned('v1'));
    const deployment = queue('v1');

    const running = runDeployment(deps, deployment.id);
    await held.waiting;
    await store.repos.deployments.transition(deployment.id, 'deploying', 'cancelling');
    held.release({ healthy: true });
    await running;

    expect(store.deployment(deployment.id).status).toBe('cancelled');
    expect(store.project(project.id).activeDeploymentId).toBeNull();
    expect(runtime.instance('shop', deployment.id)).toBeUndefined();
    expect(router.callsOf('upsertRoute')).toEqual([]);
  });

  it("the job's abort signal (the worker stopping) ends the health wait: the deployment fails and its instance goes", async () => {
    const { deps, store, runtime, queue } = setup();
    const held = runtime.holdHealth(pinned('v1'));
    const deployment = queue('v1');
    const job = new AbortController();

    const running = runDeployment(deps, deployment.id, job.signal);
    await held.waiting;
    job.abort();
    await running;

    expect(store.deployment(deployment.id)).toMatchObject({
      status: 'failed',
      error: 'health check failed: cancelled. The previous version keeps serving.',
    });
    expect(runtime.instance('shop', deployment.id)).toBeUndefined();
  });

  it('a deployment found cancelling (the worker died while cancelling) is finished: instance removed, cancelled', async () => {
    const { deps, store, runtime, queue, startedEarlier } = setup();
    const deployment = queue('v1', { status: 'cancelling', slot: 'a' });
    await startedEarlier(deployment.id, 'v1', 'a');

    await runDeployment(deps, deployment.id);

    expect(store.deployment(deployment.id).status).toBe('cancelled');
    expect(runtime.instance('shop', deployment.id)).toBeUndefined();
    expect(runtime.callsOf('start')).toHaveLength(1);
  });
});

describe('runDeployment: crashes, restarts and others moving the deployment', () => {
  it('an instance a crash left in the free slot is removed, without grace, before the new one starts', async () => {
    const { deps, store, runtime, project, queue, serving, startedEarlier } = setup();
    await serving('v1');
    const abandoned = queue('v0', { status: 'failed', slot: 'b' });
    await startedEarlier(abandoned.id, 'v0', 'b');
    const second = queue('v2');

    await runDeployment(deps, second.id);

    const calls = runtime.calls.map((call) =>
      call.method === 'remove' ? `remove ${call.deploymentId} ${call.graceMs}` : call.method,
    );
    const removal = calls.indexOf(`remove ${abandoned.id} 0`);
    expect(removal).toBeGreaterThan(-1);
    expect(removal).toBeLessThan(calls.lastIndexOf('start'));
    expect(runtime.instance('shop', abandoned.id)).toBeUndefined();
    expect(store.project(project.id).activeDeploymentId).toBe(second.id);
  });

  it('resumed after a crash in deploying with its instance started: keeps its slot and digest and replaces its own instance', async () => {
    const { deps, store, runtime, images, project, queue, route, startedEarlier } = setup();
    // Slot b, though a first deployment would take a: the slot it chose before the crash holds.
    const deployment = queue('v1', {
      status: 'deploying',
      slot: 'b',
      imageDigest: FakeImages.digestOf(image('v1')),
    });
    await startedEarlier(deployment.id, 'v1', 'b');
    runtime.calls.length = 0;

    await runDeployment(deps, deployment.id);

    expect(images.resolved).toEqual([]);
    expect(runtime.callsOf('remove')).toEqual([]);
    expect(runtime.callsOf('start').map((call) => call.spec.slot)).toEqual(['b']);
    expect(store.deployment(deployment.id)).toMatchObject({ status: 'healthy', slot: 'b' });
    expect(store.project(project.id).activeDeploymentId).toBe(deployment.id);
    expect(route()?.upstream).toBe('127.0.0.1:20001');
  });

  it('resumed after a crash in deploying before the image was resolved: resolves it and deploys', async () => {
    const { deps, store, images, queue } = setup();
    const deployment = queue('v1', { status: 'deploying' });

    await runDeployment(deps, deployment.id);

    expect(images.resolved).toEqual([image('v1')]);
    expect(store.deployment(deployment.id)).toMatchObject({ status: 'healthy', slot: 'a' });
  });

  it('resumed after the switch committed (healthy): does nothing more; the reconciler writes the route', async () => {
    const { deps, runtime, router, queue } = setup();
    const deployment = queue('v1', { status: 'healthy', slot: 'a' });

    await runDeployment(deps, deployment.id);

    expect(runtime.calls).toEqual([]);
    expect(router.calls).toEqual([]);
  });

  it('an ended deployment is not run again, nor one that does not exist, nor one still being built', async () => {
    const { deps, store, runtime, queue } = setup();
    const ended = queue('v1', { status: 'failed' });
    const building = queue('v2', { status: 'building' });

    await runDeployment(deps, ended.id);
    await runDeployment(deps, building.id);
    await runDeployment(deps, 'no-such-deployment');

    expect(runtime.calls).toEqual([]);
    expect(store.deployment(ended.id).status).toBe('failed');
    expect(store.deployment(building.id).status).toBe('building');
  });

  it('a queued deployment cancelled just before it starts is left alone: it starts over from the new state', async () => {
    const { deps, store, runtime, queue } = setup();
    const deployment = queue('v1');
    const transition = store.repos.deployments.transition;
    let cancelledFirst = false;
    deps.repos = {
      ...store.repos,
      deployments: {
        ...store.repos.deployments,
        transition: async (id, from, to, data) => {
          if (!cancelledFirst) {
            // cancelDeployment wins the race for the queued deployment.
            cancelledFirst = await transition(id, 'pushed', 'cancelled', { terminationReason: 'cancelled' });
          }
          return transition(id, from, to, data);
        },
      },
    };

    await runDeployment(deps, deployment.id);

    expect(store.deployment(deployment.id).status).toBe('cancelled');
    expect(runtime.calls).toEqual([]);
  });

  it('failed as stuck by the reconciler during its health wait: it does not take the traffic', async () => {
    const { deps, store, runtime, project, queue, serving, route } = setup();
    const first = await serving('v1');
    const held = runtime.holdHealth(pinned('v2'));
    const second = queue('v2');

    const running = runDeployment(deps, second.id);
    await held.waiting;
    await store.repos.deployments.transition(second.id, 'deploying', 'failed', {
      terminationReason: 'expired',
    });
    held.release({ healthy: true });
    await running;

    expect(store.deployment(second.id).status).toBe('failed');
    expect(store.project(project.id).activeDeploymentId).toBe(first.id);
    expect(store.deployment(first.id).status).toBe('healthy');
    expect(route()?.activeDeploymentId).toBe(first.id);
    expect(runtime.instance('shop', first.id)?.state).toBe('running');
  });

  it('the project deleted before the deployment starts: nothing starts and nothing throws', async () => {
    const { deps, store, runtime, project, queue } = setup();
    const deployment = queue('v1');
    deps.repos = {
      ...store.repos,
      projects: {
        ...store.repos.projects,
        findForDeploy: async (id) => {
          store.deleteProject(project.id);
          return store.repos.projects.findForDeploy(id);
        },
      },
    };

    await expect(runDeployment(deps, deployment.id)).resolves.toBeUndefined();

    expect(runtime.calls).toEqual([]);
    expect(store.deployments.size).toBe(0);
  });

  it('the project deleted just before the switch: nothing is switched, no route is written, the instances are left to the deletion', async () => {
    const { deps, store, runtime, router, project, queue, serving } = setup();
    const first = await serving('v1');
    const second = queue('v2');
    const routesBefore = router.callsOf('upsertRoute').length;
    deps.repos = {
      ...store.repos,
      deployments: {
        ...store.repos.deployments,
        activate: async (...args) => {
          store.deleteProject(project.id);
          return store.repos.deployments.activate(...args);
        },
      },
    };

    await expect(runDeployment(deps, second.id)).resolves.toBeUndefined();

    expect(router.callsOf('upsertRoute')).toHaveLength(routesBefore);
    expect(runtime.instance('shop', first.id)?.state).toBe('running');
  });
});
