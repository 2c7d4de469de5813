import { describe, expect, it } from 'vitest';
import { runDeployment } from './run-deployment';
import { removeProjectResources, stopProject } from './stop-project';
import { fakeEngine } from './testing/fake-engine';

// stopProject and removeProjectResources on in-memory fakes; against the real adapters:
// test/deploy-engine.int.test.ts (Docker, Caddy) and kubernetes-deploy.int.test.ts.

async function runningProject() {
  const engine = fakeEngine();
  const project = engine.store.addProject({ name: 'shop' });
  const deployment = engine.store.addDeployment({
    projectId: project.id,
    status: 'pushed',
    image: 'registry.test/shop:v1',
  });
  await runDeployment(engine.deps, deployment.id);
  // What happened from here on, across the runtime and the router, in order.
  const order: string[] = [];
  const { runtime, router } = engine;
  const remove = runtime.remove.bind(runtime);
  runtime.remove = (project, id, options) => {
    order.push(`remove ${id}`);
    return remove(project, id, options);
  };
  const upsert = router.upsertRoute.bind(router);
  router.upsertRoute = (route) => {
    order.push(`route ${route.state}`);
    return upsert(route);
  };
  const removeRoute = router.removeRoute.bind(router);
  router.removeRoute = (name) => {
    order.push(`remove route ${name}`);
    return removeRoute(name);
  };
  return { ...engine, project, deployment, order };
}

describe('stopProject', () => {
  it('points the route at the stopped page before any instance stops, then ends the active deployment', async () => {
    const { deps, store, runtime, router, project, deployment, order } = await runningProject();
    store.project(project.id).desiredState = 'stopped';

    await stopProject(deps, project.id);

    expect(order).toEqual(['route stopped', `remove ${deployment.id}`]);
    expect(runtime.callsOf('remove')[0]?.graceMs).toBe(3000);
    expect(router.routes.get('shop')).toMatchObject({ state: 'stopped', upstream: null });
    expect(store.deployment(deployment.id)).toMatchObject({
      status: 'stopped',
      terminationReason: 'user_stopped',
    });
    expect(store.eventsOf(deployment.id).at(-1)).toBe('Stopping: the project was stopped');
    expect(store.project(project.id).activeDeploymentId).toBeNull();
    expect(await runtime.list({ project: 'shop' })).toEqual([]);
  });

  it('does nothing for a project started again (or deleted) before the stop ran', async () => {
    const { deps, store, project, deployment, order } = await runningProject();

    await stopProject(deps, project.id);
    await stopProject(deps, 'no-such-project');

    expect(order).toEqual([]);
    expect(store.deployment(deployment.id).status).toBe('healthy');
  });
});

describe('removeProjectResources', () => {
  it("removes the route first, then the instances, then the runtime's per-project resources", async () => {
    const { deps, runtime, router, deployment, order } = await runningProject();
    const deleted: string[] = [];
    deps.deleteProject = async (name) => {
      order.push(`delete project ${name}`);
      deleted.push(name);
    };

    await removeProjectResources(deps, 'shop');

    expect(order).toEqual(['remove route shop', `remove ${deployment.id}`, 'delete project shop']);
    expect(router.routes.has('shop')).toBe(false);
    expect(runtime.instance('shop', deployment.id)).toBeUndefined();
    expect(deleted).toEqual(['shop']);
  });
});
