import { describe, expect, it } from 'vitest';
import { RELEASE_DONE, ROLLBACK_SKIPS_RELEASE } from './deploy-command';
import { DEPLOYMENT_DONE } from './deployment-logs';
import { runDeployment, TRAFFIC_SWITCHED } from './run-deployment';
import { fakeEngine } from './testing/fake-engine';
import { FakeImages } from './testing/fake-images';

// Release and post-deploy commands on in-memory fakes. The same against Docker, Caddy and PostgreSQL:
// test/release-command.int.test.ts.

const image = (tag: string) => `registry.test/shop:${tag}`;

function setup(commands: {
  releaseCommand?: string[];
  postDeployCommand?: string[];
  startCommand?: string[];
}) {
  const engine = fakeEngine({
    env: { DATABASE_URL: 'postgres://db/shop' },
    settings: { releaseTimeoutMs: 5000 },
  });
  const project = engine.store.addProject({ name: 'shop', memoryLimitMb: 256, ...commands });
  const deploy = async (tag: string) => {
    const deployment = engine.store.addDeployment({
      projectId: project.id,
      image: image(tag),
      status: 'pushed',
    });
    await runDeployment(engine.deps, deployment.id);
    return engine.store.deployment(deployment.id);
  };
  return { ...engine, project, deploy };
}

describe('release command', () => {
  it('runs once in a one-off of the pinned image with the app env, before the new version starts', async () => {
    const { runtime, store, deploy } = setup({ releaseCommand: ['/bin/sh', '-c', 'npm run migrate'] });
    runtime.scriptOneOff({ output: ['migrated 3 tables'] });

    const deployment = await deploy('v1');

    expect(deployment.status).toBe('healthy');
    const [call] = runtime.callsOf('runOneOff');
    expect(runtime.callsOf('runOneOff')).toHaveLength(1);
    expect(call?.spec).toEqual({
      kind: 'release',
      id: `${deployment.id}-release`,
      project: 'shop',
      deploymentId: deployment.id,
      image: FakeImages.pinnedReference(image('v1')),
      port: 8080,
      env: { DATABASE_URL: 'postgres://db/shop' },
      cpuLimit: null,
      memoryLimitMb: 256,
      command: ['/bin/sh', '-c', 'npm run migrate'],
    });
    expect(call?.timeoutMs).toBe(5000);
    const events = store.eventsOf(deployment.id);
    const order = [
      'Running the release command: npm run migrate',
      'release: migrated 3 tables',
      RELEASE_DONE,
      TRAFFIC_SWITCHED('a'),
      DEPLOYMENT_DONE,
    ].map((message) => events.findIndex((event) => event.startsWith(message)));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const starting = events.findIndex((event) => event.startsWith('Starting '));
    expect(starting).toBeGreaterThan(events.indexOf(RELEASE_DONE));
  });

  it('fails the deployment on a non-zero exit, naming command and code; the previous version keeps serving', async () => {
    const { runtime, router, deploy } = setup({ releaseCommand: ['/bin/sh', '-c', 'npm run migrate'] });
    const first = await deploy('v1');
    runtime.scriptOneOff({ result: { outcome: 'exited', exitCode: 3 } });

    const second = await deploy('v2');

    expect(second.status).toBe('failed');
    expect(second.error).toBe(
      'the release command "npm run migrate" exited with code 3. The previous version keeps serving.',
    );
    // v2 never started; v1 still runs and has the route.
    expect(runtime.callsOf('start').map((call) => call.spec.deploymentId)).toEqual([first.id]);
    expect(runtime.instance('shop', first.id)?.state).toBe('running');
    expect(router.routes.get('shop')?.upstream).toBe('127.0.0.1:20000');
  });

  it('fails the deployment when the release times out or cannot run', async () => {
    const { runtime, deploy } = setup({ releaseCommand: ['rake', 'db:migrate'] });
    runtime.scriptOneOff({ result: { outcome: 'timedOut' } });
    expect((await deploy('v1')).error).toBe(
      'the release command ["rake","db:migrate"] did not finish within 5 s (RISE_RELEASE_TIMEOUT) and was stopped. The previous version keeps serving.',
    );
    runtime.failNext('runOneOff', 'no such image');
    expect((await deploy('v2')).error).toMatch(/^the release command .* could not run: no such image\./);
  });

  it('is not run by a rollback, which must restore service even when the release is what broke', async () => {
    const { runtime, store, deps, project } = setup({ releaseCommand: ['/bin/sh', '-c', 'npm run migrate'] });
    const rollback = store.addDeployment({
      projectId: project.id,
      image: image('v1'),
      status: 'pushed',
      trigger: 'rollback',
    });
    await runDeployment(deps, rollback.id);
    expect(store.deployment(rollback.id).status).toBe('healthy');
    expect(runtime.callsOf('runOneOff')).toEqual([]);
    expect(store.eventsOf(rollback.id)).toContain(ROLLBACK_SKIPS_RELEASE);
  });
});

describe('post-deploy command', () => {
  it('runs after traffic moved; its failure only warns', async () => {
    const { runtime, store, deploy } = setup({ postDeployCommand: ['/bin/sh', '-c', 'curl -X POST hook'] });
    runtime.scriptOneOff({ output: ['boom'], result: { outcome: 'exited', exitCode: 1 } });

    const deployment = await deploy('v1');

    expect(deployment.status).toBe('healthy');
    expect(runtime.callsOf('runOneOff')[0]?.spec).toMatchObject({ kind: 'post-deploy' });
    const events = store.eventsOf(deployment.id);
    const switched = events.indexOf(TRAFFIC_SWITCHED('a'));
    const warned = events.indexOf(
      'Post-deploy command failed: the post-deploy command "curl -X POST hook" exited with code 1',
    );
    expect(switched).toBeGreaterThanOrEqual(0);
    expect(warned).toBeGreaterThan(switched);
    expect(events.at(-1)).toBe(DEPLOYMENT_DONE);
  });
});

describe('start command', () => {
  it('is the instance spec command', async () => {
    const { runtime, deploy } = setup({ startCommand: ['/bin/sh', '-c', 'node server.js'] });
    const deployment = await deploy('v1');
    expect(runtime.instance('shop', deployment.id)?.spec.command).toEqual([
      '/bin/sh',
      '-c',
      'node server.js',
    ]);
  });
});
