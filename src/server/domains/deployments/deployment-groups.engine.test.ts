import { describe, expect, it } from 'vitest';
import type { EngineSettings } from './engine-deps';
import { expireDeployment } from './expire-deployments';
import { reconcile } from './reconcile';
import { runDeployment } from './run-deployment';
import { stopGroup } from './stop-group';
import { fakeEngine } from './testing/fake-engine';
import type { StoredDeployment } from './testing/in-memory-engine-store';

// Deployment groups in the engine, on in-memory fakes; against PostgreSQL, Docker, Caddy and the
// worker: test/deployment-groups.int.test.ts.

const image = (tag: string) => `registry.test/shop:${tag}`;
const PREVIEW_HOST = 'shop-mr--26.apps.test';

function setup(settings: Partial<EngineSettings> = {}) {
  const engine = fakeEngine({ settings });
  const project = engine.store.addProject({ name: 'shop', healthPath: '/health' });
  const queue = (tag: string, extra: Partial<StoredDeployment> = {}) =>
    engine.store.addDeployment({ projectId: project.id, image: image(tag), status: 'pushed', ...extra });
  const deploy = async (tag: string, extra: Partial<StoredDeployment> = {}) => {
    const deployment = queue(tag, extra);
    await runDeployment(engine.deps, deployment.id);
    expect(engine.store.deployment(deployment.id).status).toBe('healthy');
    return deployment;
  };
  const preview = () => engine.store.addGroup(project.id, 'mr/26', PREVIEW_HOST);
  const mainRoute = () => engine.router.routes.get('shop');
  const previewRoute = () => engine.router.routes.get('shop.mr--26');
  return { ...engine, project, queue, deploy, preview, mainRoute, previewRoute };
}

describe('deployment groups in the engine', () => {
  it("deploys a group beside the default one: its own slot ports, instance, route and host; the project's untouched", async () => {
    const { store, runtime, project, deploy, preview, mainRoute, previewRoute } = setup();
    const main = await deploy('v1');
    const group = preview();

    const first = await deploy('pr', { group: 'mr/26' });

    expect(group).toMatchObject({ activeDeploymentId: first.id, slotPortA: 20002, slotPortB: 20003 });
    expect(store.project(project.id)).toMatchObject({ activeDeploymentId: main.id, slotPortA: 20000 });
    expect(runtime.instance('shop', first.id)?.spec).toMatchObject({
      group: 'mr--26',
      slot: 'a',
      hostPort: 20002,
      slotHostPorts: [20002, 20003],
    });
    expect(previewRoute()).toMatchObject({
      project: 'shop',
      group: 'mr--26',
      hosts: [PREVIEW_HOST],
      state: 'running',
      upstream: '127.0.0.1:20002',
      activeDeploymentId: first.id,
    });
    expect(mainRoute()).toMatchObject({ hosts: ['shop.apps.test'], activeDeploymentId: main.id });
    expect(mainRoute()?.group).toBeUndefined();
    expect(runtime.instance('shop', main.id)?.state).toBe('running');
  });

  it('redeploys inside a group blue/green: the next slot of the group, the group previous superseded, default untouched', async () => {
    const { store, runtime, deploy, preview, previewRoute, mainRoute } = setup();
    const main = await deploy('v1');
    preview();
    const first = await deploy('pr1', { group: 'mr/26' });

    const second = await deploy('pr2', { group: 'mr/26' });

    expect(store.deployment(second.id)).toMatchObject({ slot: 'b' });
    expect(store.deployment(first.id)).toMatchObject({ status: 'superseded' });
    expect(store.deployment(main.id)).toMatchObject({ status: 'healthy' });
    expect(runtime.instance('shop', first.id)).toBeUndefined();
    expect(previewRoute()).toMatchObject({ upstream: '127.0.0.1:20003', activeDeploymentId: second.id });
    expect(mainRoute()).toMatchObject({ upstream: '127.0.0.1:20000', activeDeploymentId: main.id });
  });

  it("never removes another group's instance from the same slot while clearing a stale one", async () => {
    const { runtime, deploy, preview } = setup();
    const main = await deploy('v1');
    preview();
    // Both groups start in slot a: the group's start must not take the default group's instance.
    const first = await deploy('pr', { group: 'mr/26' });
    expect(runtime.instance('shop', main.id)?.state).toBe('running');
    expect(runtime.instance('shop', first.id)?.state).toBe('running');
  });

  it('fails a deployment whose group no longer exists, saying so', async () => {
    const { store, queue, deps } = setup();
    const orphan = queue('pr', { group: 'mr/26' });
    await runDeployment(deps, orphan.id);
    expect(store.deployment(orphan.id)).toMatchObject({
      status: 'failed',
      error: 'group mr/26 no longer exists (it was stopped or expired)',
    });
  });

  it('stops a group: its route, instances and group go; the default group keeps serving', async () => {
    const { deps, store, runtime, project, deploy, preview, mainRoute, previewRoute } = setup();
    const main = await deploy('v1');
    preview();
    const first = await deploy('pr', { group: 'mr/26' });

    await stopGroup(deps, project.id, 'mr/26');

    expect(previewRoute()).toBeUndefined();
    expect(runtime.instance('shop', first.id)).toBeUndefined();
    expect(store.deployment(first.id)).toMatchObject({
      status: 'stopped',
      terminationReason: 'user_stopped',
    });
    expect(store.group(project.id, 'mr/26')).toBeUndefined();
    expect(runtime.instance('shop', main.id)?.state).toBe('running');
    expect(mainRoute()).toMatchObject({ state: 'running', activeDeploymentId: main.id });
    // Idempotent: a retry finds nothing left to do.
    await stopGroup(deps, project.id, 'mr/26');
  });

  it("reconciles groups: writes a group's missing route, removes a gone group's route, restarts its crashed instance", async () => {
    const { deps, store, runtime, router, project, deploy, preview, previewRoute } = setup();
    await deploy('v1');
    preview();
    const first = await deploy('pr', { group: 'mr/26' });

    router.routes.delete('shop.mr--26');
    runtime.crash('shop', first.id);
    const report = await reconcile(deps);
    expect(previewRoute()).toMatchObject({ activeDeploymentId: first.id });
    expect(report).toMatchObject({ routesUpserted: 1, restarted: 1 });

    store.groups.clear();
    const after = await reconcile(deps);
    expect(previewRoute()).toBeUndefined();
    expect(after.routesRemoved).toBe(1);
    // The instance of a group that is gone has no owner wanting it any more.
    expect(runtime.instance('shop', first.id)).toBeUndefined();
    expect(store.project(project.id).activeDeploymentId).not.toBeNull();
  });
});

describe('expireDeployment', () => {
  it("takes a preview group down when its active deployment's expiry has come", async () => {
    const { deps, store, runtime, clock, project, deploy, preview, previewRoute, mainRoute } = setup();
    const main = await deploy('v1');
    preview();
    const first = await deploy('pr', { group: 'mr/26', expiresAt: new Date(clock.now().getTime() + 20_000) });

    expect(await expireDeployment(deps, first.id, clock.now())).toBe(false);
    clock.advance(20_000);
    expect(await expireDeployment(deps, first.id, clock.now())).toBe(true);

    expect(store.deployment(first.id)).toMatchObject({ status: 'expired', terminationReason: 'expired' });
    expect(previewRoute()).toBeUndefined();
    expect(runtime.instance('shop', first.id)).toBeUndefined();
    expect(store.group(project.id, 'mr/26')).toBeUndefined();
    expect(mainRoute()).toMatchObject({ state: 'running', activeDeploymentId: main.id });
    expect(store.eventsOf(first.id)).toContain('Expired');
  });

  it("leaves the project's URL on the stopped page when the default group's active deployment expires", async () => {
    const { deps, store, runtime, clock, project, deploy, mainRoute } = setup();
    const main = await deploy('v1', { expiresAt: clock.now() });

    expect(await expireDeployment(deps, main.id, clock.now())).toBe(true);

    expect(store.deployment(main.id)).toMatchObject({ status: 'expired' });
    expect(store.project(project.id).activeDeploymentId).toBeNull();
    expect(mainRoute()).toMatchObject({ state: 'stopped', upstream: null });
    expect(runtime.instance('shop', main.id)).toBeUndefined();
  });

  it('expires a queued deployment before it starts, and leaves one extended meanwhile alone', async () => {
    const { deps, store, clock, queue } = setup();
    const queued = queue('v1', { expiresAt: clock.now() });
    const extended = queue('v2', { expiresAt: new Date(clock.now().getTime() + 60_000) });

    expect(await expireDeployment(deps, queued.id, clock.now())).toBe(true);
    expect(await expireDeployment(deps, extended.id, clock.now())).toBe(false);

    expect(store.deployment(queued.id)).toMatchObject({ status: 'expired' });
    expect(store.eventsOf(queued.id)).toEqual(['Expired before it started']);
    expect(store.deployment(extended.id)).toMatchObject({ status: 'pushed' });
  });
});
