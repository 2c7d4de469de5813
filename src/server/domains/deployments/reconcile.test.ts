import { describe, expect, it } from 'vitest';
import { HostPortInUseError, type InstanceSpec } from '@/server/runtime/types';
import type { EngineSettings } from './engine-deps';
import { reconcile } from './reconcile';
import { fakeEngine } from './testing/fake-engine';
import { FakeImages } from './testing/fake-images';
import type { StoredDeployment } from './testing/in-memory-engine-store';

// reconcile's branches on in-memory fakes; against PostgreSQL, Docker and Caddy: reconcile.int.test.ts.

const image = (tag: string) => `registry.test/shop:${tag}`;

/** A project `shop` whose active deployment (v1, slot a) is healthy and running, its route written. */
async function setup(settings: Partial<EngineSettings> = {}) {
  const engine = fakeEngine({ settings });
  const { store, runtime, router, deps } = engine;
  const project = store.addProject({ name: 'shop', slotPortA: 20000, slotPortB: 20001 });
  const deployment = (tag: string, extra: Partial<StoredDeployment>) =>
    store.addDeployment({
      projectId: project.id,
      image: image(tag),
      imageDigest: FakeImages.digestOf(image(tag)),
      ...extra,
    });
  const instanceOf = (row: StoredDeployment): InstanceSpec => ({
    project: 'shop',
    deploymentId: row.id,
    slot: row.slot ?? 'a',
    image: FakeImages.pinnedReference(row.image ?? ''),
    port: 8080,
    env: {},
    cpuLimit: null,
    memoryLimitMb: null,
    hostPort: row.slot === 'b' ? 20001 : 20000,
  });
  const active = deployment('v1', { status: 'healthy', slot: 'a' });
  store.project(project.id).activeDeploymentId = active.id;
  await runtime.start(instanceOf(active));
  await reconcile(deps);
  runtime.calls.length = 0;
  router.calls.length = 0;
  return { ...engine, project, active, deployment, instanceOf };
}

describe('reconcile', () => {
  it('fails deployments in progress with no progress for stuckAfterMs (expired), and leaves recent ones', async () => {
    const { deps, store, clock, deployment } = await setup({ stuckAfterMs: 600_000 });
    const ago = (ms: number) => new Date(clock.now().getTime() - ms);
    const stuck = deployment('v2', { status: 'deploying', slot: 'b', updatedAt: ago(601_000) });
    const stuckCancelling = deployment('v3', { status: 'cancelling', updatedAt: ago(700_000) });
    const recent = deployment('v4', { status: 'pushed', updatedAt: ago(10_000) });

    const report = await reconcile(deps);

    expect(report.stuckFailed).toBe(2);
    expect(store.deployment(stuck.id)).toMatchObject({
      status: 'failed',
      terminationReason: 'expired',
      error: 'timed out in state deploying (no progress for 600 s)',
    });
    expect(store.eventsOf(stuck.id)).toEqual([
      'Deployment failed: timed out in state deploying (no progress for 600 s)',
    ]);
    expect(store.deployment(stuckCancelling.id).error).toBe(
      'timed out in state cancelling (no progress for 600 s)',
    );
    expect(store.deployment(recent.id).status).toBe('pushed');
  });

  it('writes the route of a switch whose own route write never happened (a worker crash), and only that one', async () => {
    const { deps, store, router, project, deployment, runtime, instanceOf } = await setup();
    const next = deployment('v2', { status: 'healthy', slot: 'b' });
    await runtime.start(instanceOf(next));
    store.project(project.id).activeDeploymentId = next.id;

    const report = await reconcile(deps);

    expect(report.routesUpserted).toBe(1);
    expect(router.routes.get('shop')).toMatchObject({
      upstream: '127.0.0.1:20001',
      activeDeploymentId: next.id,
    });
    expect((await reconcile(deps)).routesUpserted).toBe(0);
  });

  it('removes the routes of projects that no longer exist', async () => {
    const { deps, router } = await setup();
    const route = router.routes.get('shop');
    if (!route) throw new Error('shop has no route');
    await router.upsertRoute({ ...route, project: 'deleted-app' });

    const report = await reconcile(deps);

    expect(report.routesRemoved).toBe(1);
    expect([...router.routes.keys()]).toEqual(['shop']);
  });

  it('removes instances no deployment wants, after the settle pause, and keeps the active one', async () => {
    const { deps, clock, runtime, active, deployment, instanceOf } = await setup({ settleMs: 2000 });
    const failed = deployment('v0', { status: 'failed', slot: 'b' });
    await runtime.start(instanceOf(failed));
    await runtime.start({ ...instanceOf(failed), deploymentId: 'no-such-deployment' });

    const reconciling = reconcile(deps);
    await clock.sleepingFor(2000);
    expect(runtime.instance('shop', failed.id)?.state).toBe('running');
    clock.advance(2000);
    const report = await reconciling;

    expect(report.orphansRemoved).toBe(2);
    expect(runtime.callsOf('remove').map((call) => [call.deploymentId, call.graceMs])).toEqual([
      [failed.id, 3000],
      ['no-such-deployment', 3000],
    ]);
    expect(runtime.instance('shop', active.id)?.state).toBe('running');
  });

  it('restarts a crashed active instance with exponential backoff, marking it unhealthy', async () => {
    const { deps, store, clock, runtime, active } = await setup({
      restartBackoff: { initialMs: 1000, maxMs: 8000 },
    });
    runtime.crash('shop', active.id, 137);

    expect((await reconcile(deps)).restarted).toBe(1);
    expect(store.deployment(active.id)).toMatchObject({
      status: 'unhealthy',
      restartCount: 1,
      nextRestartAt: new Date(clock.now().getTime() + 1000),
    });
    expect(store.eventsOf(active.id).at(-1)).toBe('Instance exited with code 137; restart #1');
    expect(runtime.instance('shop', active.id)?.restarts).toBe(1);

    runtime.crash('shop', active.id, 1);
    expect((await reconcile(deps)).restarted).toBe(0);
    clock.advance(1000);
    expect((await reconcile(deps)).restarted).toBe(1);
    expect(store.deployment(active.id)).toMatchObject({
      restartCount: 2,
      nextRestartAt: new Date(clock.now().getTime() + 2000),
    });
  });

  it('an unhealthy active deployment whose instance runs again is healthy again; its restarts stay until it runs stable', async () => {
    const { deps, store, clock, runtime, active } = await setup({
      crashLoop: { restarts: 3, stableAfterMs: 600_000 },
    });
    store.deployment(active.id).status = 'unhealthy';
    store.deployment(active.id).restartCount = 3;
    store.deployment(active.id).crashLoopSince = clock.now();
    await runtime.restart('shop', active.id);

    expect((await reconcile(deps)).recovered).toBe(1);
    expect(store.deployment(active.id)).toMatchObject({ status: 'healthy', restartCount: 3 });
    expect(store.eventsOf(active.id).at(-1)).toBe('Running again');

    clock.advance(599_000);
    expect((await reconcile(deps)).stabilised).toBe(0);
    expect(store.deployment(active.id).restartCount).toBe(3);
    clock.advance(1000);
    expect((await reconcile(deps)).stabilised).toBe(1);
    expect(store.deployment(active.id)).toMatchObject({
      status: 'healthy',
      restartCount: 0,
      nextRestartAt: null,
      crashLoopSince: null,
    });
    expect(store.eventsOf(active.id).at(-1)).toBe(
      'Ran 600 s without crashing: restart count reset; no longer crash-looping',
    );
  });

  it('keeps the backoff growing across brief runs, records the crash and tells people once per loop', async () => {
    const { deps, store, clock, runtime, active } = await setup({
      restartBackoff: { initialMs: 1000, maxMs: 3000 },
      crashLoop: { restarts: 3, stableAfterMs: 600_000 },
    });
    const told: string[] = [];
    deps.notify = async (event) => told.push(event.kind);
    const delays: number[] = [];
    for (let crash = 1; crash <= 5; crash++) {
      runtime.appendLog('shop', active.id, `boom ${crash}`);
      runtime.crash('shop', active.id, 2);
      const report = await reconcile(deps);
      expect(report.restarted).toBe(1);
      const { nextRestartAt } = store.deployment(active.id);
      expect(report.nextRestartAt).toEqual(nextRestartAt);
      delays.push((nextRestartAt?.getTime() ?? 0) - clock.now().getTime());
      // Running briefly (healthy again) before the next crash, after the backoff.
      expect((await reconcile(deps)).recovered).toBe(1);
      clock.advance(delays.at(-1) ?? 0);
    }
    expect(delays).toEqual([1000, 2000, 3000, 3000, 3000]);
    const row = store.deployment(active.id) as StoredDeployment & Record<string, unknown>;
    expect(row).toMatchObject({ restartCount: 5, lastExitCode: 2 });
    expect(row.crashLoopSince).toBeInstanceOf(Date);
    expect(row.lastCrashLog).toEqual(['boom 1', 'boom 2', 'boom 3', 'boom 4', 'boom 5']);
    expect(told).toEqual(['app.crashed', 'app.restarted', 'app.restarted', 'app.crash-looping']);
    expect(store.eventsOf(active.id)).toContain(
      'Crash-looping: 3 restarts without a stable run; restarts continue with backoff',
    );
  });

  it('starts a missing active instance again from its pinned image', async () => {
    const { deps, store, runtime, active } = await setup();
    await runtime.remove('shop', active.id);

    expect((await reconcile(deps)).restarted).toBe(1);
    expect(runtime.instance('shop', active.id)?.spec).toMatchObject({
      image: FakeImages.pinnedReference(image('v1')),
      slot: 'a',
      hostPort: 20000,
    });
    expect(store.eventsOf(active.id).at(-1)).toBe('Instance is missing; restart #1');
  });

  it('starting a missing active instance whose slot port was taken moves the slot and the route to the new port', async () => {
    const { deps, store, runtime, router, project, active } = await setup();
    await runtime.remove('shop', active.id);
    runtime.failNext('start', new HostPortInUseError(20000, 'held by another installation'));

    expect((await reconcile(deps)).restarted).toBe(1);
    expect(store.project(project.id).slotPortA).toBe(20002);
    expect(runtime.instance('shop', active.id)?.spec.hostPort).toBe(20002);
    expect(router.routes.get('shop')?.upstream).toBe('127.0.0.1:20002');
  });

  it('a restart refused (image no longer allowed) is recorded and does not stop the other projects', async () => {
    const { deps, store, runtime, images, active } = await setup();
    await runtime.remove('shop', active.id);
    images.refuse(image('v1'), 'the image lost its project label');
    const other = store.addProject({ name: 'other', slotPortA: 20002, slotPortB: 20003 });
    const otherActive = store.addDeployment({
      projectId: other.id,
      status: 'healthy',
      slot: 'a',
      image: 'registry.test/other:v1',
      imageDigest: FakeImages.digestOf('registry.test/other:v1'),
    });
    other.activeDeploymentId = otherActive.id;

    const report = await reconcile(deps);

    expect(store.eventsOf(active.id).at(-1)).toMatch(/^Restart failed: .*the image lost its project label$/);
    expect(report.restarted).toBe(1);
    expect(runtime.instance('other', otherActive.id)?.state).toBe('running');
  });

  it('leaves a stopped project stopped', async () => {
    const { deps, store, runtime, project, active } = await setup();
    await runtime.remove('shop', active.id);
    store.project(project.id).desiredState = 'stopped';

    const report = await reconcile(deps);

    expect(report.restarted).toBe(0);
    expect(runtime.callsOf('start')).toEqual([]);
    expect(runtime.callsOf('restart')).toEqual([]);
  });
});
