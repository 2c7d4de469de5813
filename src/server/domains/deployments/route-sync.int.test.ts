import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import type { CaddyProxy } from '@/server/proxy/caddy-proxy';
import type { ProjectRoute } from '@/server/proxy/types';
import { startCaddy, type TestCaddy } from '../../../../test/caddy';
import { testCaddyProxy } from '../../../../test/engine-deps';
import { apiAs, createUser, userCaller } from '../../../../test/fixtures';
import { projectRepo } from '../projects/project.repo';
import { deploymentRepo } from './deployment.repo';
import { newDeploymentId } from './deployment-id';
import { deploymentEngineRepos as repos } from './engine.repo';
import type { EngineDeps } from './engine-deps';
import { syncRoute } from './route-sync';
import { testEngineSettings } from './testing/test-engine-settings';

// Two route writers of one project at once (a reconcile and a deploy's switch), against the real
// PostgreSQL and Caddy: the later database state always ends up in Caddy.

const runId = randomBytes(4).toString('hex');
let caddy: TestCaddy;
let proxy: CaddyProxy;

beforeAll(async () => {
  caddy = await startCaddy();
  proxy = testCaddyProxy(caddy);
}, 60_000);

afterAll(async () => {
  await caddy?.stop();
});

/** Caddy, with the first upsertRoute held until `release()`: a writer that is slow at the worst moment. */
function gatedProxy() {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  const gated: EngineDeps['proxy'] = {
    prepare: () => proxy.prepare(),
    removeRoute: (project) => proxy.removeRoute(project),
    listRoutes: () => proxy.listRoutes(),
    upsertRoute: async (route: ProjectRoute) => {
      if (calls++ === 0) await gate;
      await proxy.upsertRoute(route);
    },
  };
  return { proxy: gated, release, entered: () => calls > 0 };
}

const settings = testEngineSettings({ baseDomain: 'localhost' });

describe('syncRoute', () => {
  it('a reconcile that read the old active deployment cannot write its route after a deploy switched', {
    timeout: 60_000,
  }, async () => {
    const owner = await createUser();
    const name = `sync-${runId}`;
    await apiAs(userCaller(owner)).project.create({ name, port: 8080, healthPath: '/health' });
    const project = await getDb().project.update({
      where: { name },
      data: { desiredState: 'running', slotPortA: 29_001, slotPortB: 29_002 },
    });
    const old = await deploymentRepo.create({
      id: newDeploymentId(),
      projectId: project.id,
      status: 'pushed',
    });
    await getDb().deployment.update({ where: { id: old.id }, data: { status: 'healthy', slot: 'a' } });
    await projectRepo.setActiveDeployment(project.id, old.id);
    const next = await deploymentRepo.create({
      id: newDeploymentId(),
      projectId: project.id,
      status: 'pushed',
    });
    await getDb().deployment.update({ where: { id: next.id }, data: { status: 'deploying', slot: 'b' } });

    // The reconcile's write: it has read (under the lock) that slot a is active, and is slow to write.
    const slow = gatedProxy();
    const reconciling = syncRoute({ proxy: slow.proxy, settings, repos }, project.id);
    await expect.poll(slow.entered, { timeout: 10_000 }).toBe(true);

    // The deploy's switch, as run-deployment.ts commits it: it waits for the reconcile's write.
    let committed = false;
    const switching = repos.deployments.activate(next.id, project.id, old.id).then(() => (committed = true));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(committed).toBe(false);

    slow.release();
    expect(await reconciling).toMatchObject({ upstream: '127.0.0.1:29001', activeDeploymentId: old.id });
    await switching;
    expect(await syncRoute({ proxy, settings, repos }, project.id)).toMatchObject({
      upstream: '127.0.0.1:29002',
      activeDeploymentId: next.id,
    });
    // Caddy has the newer route, and a reconcile from now on has nothing to write.
    const route = await proxy.client.getById<{ handle: { upstreams?: { dial: string }[] }[] }>(
      `rise-project-${name}`,
    );
    expect(route!.handle.flatMap((handler) => handler.upstreams ?? [])).toEqual([
      { dial: '127.0.0.1:29002' },
    ]);
  });
});
