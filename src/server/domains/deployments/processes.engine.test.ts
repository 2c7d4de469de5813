import { describe, expect, it } from 'vitest';
import { HostPortInUseError } from '@/server/runtime/types';
import type { ProjectProcesses } from '@/shared/processes/process.schema';
import { reconcile } from './reconcile';
import { runDeployment } from './run-deployment';
import { scaleProject } from './scale-project';
import { fakeEngine } from './testing/fake-engine';
import { FakeImages } from './testing/fake-images';

// Processes and replicas through the engine on in-memory fakes; the same against Docker and Caddy:
// processes-replicas.int.test.ts.

const worker = (replicas: number): ProjectProcesses => ({
  worker: { command: ['node', 'worker.js'], replicas, cpuLimit: 0.25, memoryLimitMb: null },
});

function setup(project: { replicas?: number; processes?: ProjectProcesses } = {}) {
  const engine = fakeEngine({ settings: { processGraceMs: 0 } });
  const stored = engine.store.addProject({ name: 'shop', cpuLimit: 0.5, ...project });
  const deploy = async () => {
    const deployment = engine.store.addDeployment({
      projectId: stored.id,
      image: 'registry.test/shop:v1',
      status: 'pushed',
    });
    await runDeployment(engine.deps, deployment.id);
    return engine.store.deployment(deployment.id);
  };
  const instances = async () =>
    (await engine.runtime.list({ project: 'shop' }))
      .map((instance) => `${instance.process ?? 'web'}/${instance.replica ?? 0} ${instance.state}`)
      .sort();
  const route = () => engine.router.routes.get('shop');
  return { ...engine, project: stored, deploy, instances, route };
}

describe('processes and replicas in the engine', () => {
  it('starts every web replica on its own host port and every process, then routes over the web replicas', async () => {
    const { deploy, instances, route, runtime, store } = setup({ replicas: 3, processes: worker(2) });
    const deployment = await deploy();

    expect(deployment.status).toBe('healthy');
    expect(deployment.webReplicas).toBe(3);
    expect(await instances()).toEqual([
      'web/0 running',
      'web/1 running',
      'web/2 running',
      'worker/0 running',
      'worker/1 running',
    ]);
    expect(route()).toMatchObject({
      upstream: '127.0.0.1:20000',
      replicaUpstreams: ['127.0.0.1:20002', '127.0.0.1:20003'],
    });
    const [web, workerStart] = runtime.callsOf('start').map((call) => call.spec);
    expect(web).toMatchObject({ replicas: 3, replicaHostPorts: [20002, 20003], hostPort: 20000 });
    expect(workerStart).toMatchObject({
      process: 'worker',
      replicas: 2,
      command: ['node', 'worker.js'],
      cpuLimit: 0.25,
      hostPort: null,
    });
    expect(store.eventsOf(deployment.id)).toContain('Processes up: worker ×2');
  });

  it('a replica port taken since it was given moves that replica only, and the start is retried', async () => {
    const { deploy, route, runtime } = setup({ replicas: 2 });
    runtime.failNext('start', new HostPortInUseError(20002, 'held by another installation'));
    const deployment = await deploy();

    expect(deployment.status).toBe('healthy');
    expect(runtime.callsOf('start').map((call) => call.spec.replicaHostPorts)).toEqual([[20002], [20003]]);
    expect(route()).toMatchObject({ upstream: '127.0.0.1:20000', replicaUpstreams: ['127.0.0.1:20003'] });
  });

  it('scaling web down takes the surplus out of the route before it stops them', async () => {
    const { deploy, instances, route, runtime, store, project, deps } = setup({ replicas: 3 });
    await deploy();
    store.project(project.id).replicas = 1;
    const before = runtime.calls.length;

    await scaleProject(deps, project.id);

    expect(route()?.replicaUpstreams).toBeUndefined();
    const scaleCall = runtime.calls.slice(before).find((call) => call.method === 'scale');
    expect(scaleCall).toMatchObject({ spec: { replicas: 1 }, graceMs: deps.settings.stopGraceMs });
    expect(await instances()).toEqual(['web/0 running']);
  });

  it('scaling web up routes the new replicas only once they are healthy', async () => {
    const { deploy, instances, route, runtime, store, project, deps } = setup({
      replicas: 1,
      processes: worker(1),
    });
    const deployment = await deploy();
    store.project(project.id).replicas = 2;
    store.project(project.id).processes = worker(0);
    runtime.setHealth(FakeImages.pinnedReference('registry.test/shop:v1'), {
      healthy: false,
      error: 'HTTP 500',
    });

    await scaleProject(deps, project.id);
    expect(store.eventsOf(deployment.id)).toContain('Scaling web failed: HTTP 500. It keeps 1 replicas.');
    expect(route()?.replicaUpstreams).toBeUndefined();
    expect(await instances()).toEqual(['web/0 running', 'worker/0 running']);

    runtime.setHealth(FakeImages.pinnedReference('registry.test/shop:v1'), { healthy: true });
    await scaleProject(deps, project.id);
    expect(route()?.replicaUpstreams).toEqual(['127.0.0.1:20002']);
    expect(await instances()).toEqual(['web/0 running', 'web/1 running']);
    expect(store.eventsOf(deployment.id)).toContain('Scaled: web ×2, worker ×0');
  });

  it('a new replica the runtime cannot start fails the scale-up; the route and count stay as they were', async () => {
    const { deploy, instances, route, runtime, store, project, deps } = setup({ replicas: 1 });
    const deployment = await deploy();
    store.project(project.id).replicas = 2;
    runtime.failNext('scale', new HostPortInUseError(20002, 'held by another installation'));

    await scaleProject(deps, project.id);

    expect(store.eventsOf(deployment.id)).toContain(
      'Scaling web failed: host port 20002 is already in use: held by another installation. It keeps 1 replicas.',
    );
    expect(route()?.replicaUpstreams).toBeUndefined();
    expect(store.deployment(deployment.id).webReplicas).toBe(1);
    expect(await instances()).toEqual(['web/0 running']);
  });

  it('a stopped project keeps its counts for the next deploy: nothing is scaled', async () => {
    const { deploy, runtime, store, project, deps } = setup({ replicas: 1 });
    await deploy();
    store.project(project.id).desiredState = 'stopped';
    store.project(project.id).replicas = 3;
    await scaleProject(deps, project.id);
    expect(runtime.callsOf('scale')).toEqual([]);
  });

  it('the reconciler restarts the crashed replica itself, not web replica 0', async () => {
    const { deploy, runtime, deps } = setup({ replicas: 1, processes: worker(2) });
    const deployment = await deploy();
    runtime.crash('shop', deployment.id, 3, { process: 'worker', replica: 1 });

    await reconcile(deps);

    expect(runtime.callsOf('restart')).toEqual([
      {
        method: 'restart',
        project: 'shop',
        deploymentId: deployment.id,
        instance: { process: 'worker', replica: 1 },
      },
    ]);
    expect(runtime.instance('shop', deployment.id, { process: 'worker', replica: 1 })?.state).toBe('running');
  });

  it('a preview group runs one web replica and one of each process', async () => {
    const { runtime, store, project, deps } = setup({ replicas: 3, processes: worker(4) });
    store.addGroup(project.id, 'mr/7');
    const preview = store.addDeployment({
      projectId: project.id,
      image: 'registry.test/shop:v1',
      status: 'pushed',
      group: 'mr/7',
    });
    await runDeployment(deps, preview.id);
    expect(runtime.callsOf('start').map((call) => [call.spec.process ?? 'web', call.spec.replicas])).toEqual([
      ['web', 1],
      ['worker', 1],
    ]);
  });
});
