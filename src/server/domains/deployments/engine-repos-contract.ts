import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeploymentStatus, Slot } from '@/generated/prisma/enums';
import type { EngineRepos } from './engine-repos';

/**
 * What the deploy engine relies on from its repositories, as one suite run against PostgreSQL
 * (engine.repo.int.test.ts) and against the in-memory store its unit tests use
 * (testing/in-memory-engine-store.test.ts), so the fake answers as the database does.
 */
export type EngineReposContractTarget = {
  repos: EngineRepos;
  addProject(project: {
    name: string;
    runtime?: string;
    slotPortA?: number | null;
    slotPortB?: number | null;
  }): Promise<{ id: string }>;
  addDeployment(deployment: {
    projectId: string;
    status: DeploymentStatus;
    image?: string;
    slot?: Slot | null;
    group?: string;
    expiresAt?: Date | null;
  }): Promise<{ id: string }>;
  /** Adds a non-default deployment group answering at `host`. */
  addGroup(projectId: string, name: string, host: string): Promise<void>;
  /** Four host ports that no project holds. */
  freePorts(): Promise<[number, number, number, number]>;
};

export function engineReposContract(name: string, createTarget: () => Promise<EngineReposContractTarget>) {
  describe(`Engine repositories contract: ${name}`, () => {
    const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

    async function projectWithDeployment(status: DeploymentStatus, slot: Slot | null = null) {
      const target = await createTarget();
      const name = unique('repo');
      const project = await target.addProject({ name });
      const deployment = await target.addDeployment({ projectId: project.id, status, slot, image: 'app:v1' });
      return { target, repos: target.repos, name, project, deployment };
    }

    it('reads a deployment with its project name, and null for an unknown id', async () => {
      const { repos, name, project, deployment } = await projectWithDeployment('pushed');
      expect(await repos.deployments.findById(deployment.id)).toMatchObject({
        id: deployment.id,
        projectId: project.id,
        status: 'pushed',
        image: 'app:v1',
        imageDigest: null,
        slot: null,
        restartCount: 0,
        nextRestartAt: null,
        project: { name },
      });
      expect(await repos.deployments.findById(unique('none'))).toBeNull();
    });

    it('moves a deployment only from an expected status, once; refuses a transition the state machine forbids', async () => {
      const { repos, deployment } = await projectWithDeployment('pushed');
      expect(await repos.deployments.transition(deployment.id, 'pushed', 'deploying')).toBe(true);
      expect(await repos.deployments.transition(deployment.id, 'pushed', 'deploying')).toBe(false);
      expect(
        await repos.deployments.transition(deployment.id, ['deploying', 'cancelling'], 'failed', {
          error: 'boom',
          terminationReason: 'failed',
        }),
      ).toBe(true);
      expect(await repos.deployments.findById(deployment.id)).toMatchObject({ status: 'failed' });
      await expect(repos.deployments.transition(deployment.id, 'pushed', 'healthy')).rejects.toThrow(
        'illegal deployment transition pushed → healthy',
      );
      expect(await repos.deployments.transition(unique('none'), 'pushed', 'deploying')).toBe(false);
    });

    it('updates fields, records events, lists by status and finds the owners that exist', async () => {
      const { repos, project, deployment } = await projectWithDeployment('deploying');
      const retry = new Date('2026-01-01T00:05:00Z');
      await repos.deployments.update(deployment.id, {
        imageDigest: 'sha256:abc',
        slot: 'b',
        restartCount: 2,
        nextRestartAt: retry,
      });
      await repos.deployments.addEvent(deployment.id, 'hello', 'warn');
      expect(await repos.deployments.findById(deployment.id)).toMatchObject({
        imageDigest: 'sha256:abc',
        slot: 'b',
        restartCount: 2,
        nextRestartAt: retry,
      });
      const listed = await repos.deployments.listByStatus(['deploying', 'cancelling']);
      expect(listed.map((row) => row.id)).toContain(deployment.id);
      expect(listed.every((row) => row.status === 'deploying' || row.status === 'cancelling')).toBe(true);
      expect(await repos.deployments.findOwners([deployment.id, unique('none')])).toEqual([
        { id: deployment.id, status: 'deploying', projectId: project.id, group: 'default' },
      ]);
    });

    it('activates a deployment all or nothing: healthy, the active one, the previous superseded', async () => {
      const { target, repos, project, deployment: previous } = await projectWithDeployment('healthy', 'a');
      await repos.projects.setActiveDeployment(project.id, previous.id);
      const next = await target.addDeployment({ projectId: project.id, status: 'deploying', slot: 'b' });
      const cancelled = await target.addDeployment({ projectId: project.id, status: 'cancelling' });

      expect(await repos.deployments.activate(cancelled.id, project.id, previous.id)).toBe(false);
      expect((await repos.projects.findForDeploy(project.id))?.activeDeploymentId).toBe(previous.id);
      expect((await repos.deployments.findById(previous.id))?.status).toBe('healthy');

      expect(await repos.deployments.activate(next.id, project.id, previous.id)).toBe(true);
      const after = await repos.projects.findForDeploy(project.id);
      expect(after).toMatchObject({
        activeDeploymentId: next.id,
        activeDeployment: { id: next.id, slot: 'b' },
      });
      expect((await repos.deployments.findById(next.id))?.status).toBe('healthy');
      expect((await repos.deployments.findById(previous.id))?.status).toBe('superseded');
      expect(await repos.deployments.activate(next.id, project.id, null)).toBe(false);
    });

    it('moves traffic inside the switch: the route write sees the new active deployment, and its failure undoes the switch', async () => {
      const { target, repos, project, deployment: previous } = await projectWithDeployment('healthy', 'a');
      await repos.projects.setActiveDeployment(project.id, previous.id);
      const next = await target.addDeployment({ projectId: project.id, status: 'deploying', slot: 'b' });

      await expect(
        repos.deployments.activate(next.id, project.id, previous.id, async () => {
          throw new Error('Caddy admin API unreachable');
        }),
      ).rejects.toThrow('Caddy admin API unreachable');
      expect((await repos.projects.findForDeploy(project.id))?.activeDeploymentId).toBe(previous.id);
      expect((await repos.deployments.findById(next.id))?.status).toBe('deploying');
      expect((await repos.deployments.findById(previous.id))?.status).toBe('healthy');

      const seen: unknown[] = [];
      expect(
        await repos.deployments.activate(next.id, project.id, previous.id, async (source) => {
          seen.push(source?.activeDeployment);
        }),
      ).toBe(true);
      expect(seen).toEqual([{ id: next.id, slot: 'b', status: 'healthy', webReplicas: 1 }]);
    });

    it('gives slot ports once, refuses one another project holds, and moves a slot only from the port it has', async () => {
      const target = await createTarget();
      const { repos } = target;
      const [p1, p2, p3, p4] = await target.freePorts();
      const one = await target.addProject({ name: unique('ports') });
      const two = await target.addProject({ name: unique('ports') });

      expect(await repos.projects.setSlotPorts(one.id, [p1, p2])).toBe(true);
      expect(await repos.projects.setSlotPorts(one.id, [p3, p4])).toBe(false);
      expect(await repos.projects.setSlotPorts(two.id, [p1, p3])).toBe(false);
      expect(await repos.projects.findForDeploy(one.id)).toMatchObject({ slotPortA: p1, slotPortB: p2 });
      expect(await repos.projects.findForDeploy(two.id)).toMatchObject({ slotPortA: null, slotPortB: null });
      const used = await repos.projects.usedSlotPorts();
      expect([p1, p2].every((port) => used.has(port))).toBe(true);

      expect(await repos.projects.replaceSlotPort(one.id, 'a', p3, p4)).toBe(false);
      expect(await repos.projects.setSlotPorts(two.id, [p3, p4])).toBe(true);
      expect(await repos.projects.replaceSlotPort(one.id, 'a', p1, p3)).toBe(false);
      const [p5] = await target.freePorts();
      expect(await repos.projects.replaceSlotPort(one.id, 'a', p1, p5)).toBe(true);
      expect(await repos.projects.findForDeploy(one.id)).toMatchObject({ slotPortA: p5, slotPortB: p2 });
    });

    it('lists projects for reconcile (by runtime) and the names of all', async () => {
      const target = await createTarget();
      const docker = unique('docker');
      const kubernetes = unique('kube');
      await target.addProject({ name: docker });
      await target.addProject({ name: kubernetes, runtime: 'kubernetes' });

      const onDocker = (await target.repos.projects.listForReconcile('docker')).map(
        (project) => project.name,
      );
      expect(onDocker).toContain(docker);
      expect(onDocker).not.toContain(kubernetes);
      const all = (await target.repos.projects.listForReconcile()).map((project) => project.name);
      expect(all).toEqual(expect.arrayContaining([docker, kubernetes]));
      const names = await target.repos.projects.listNames();
      expect(names.has(docker) && names.has(kubernetes)).toBe(true);
      expect(await target.repos.projects.findForDeploy(unique('none'))).toBeNull();
    });

    it('keeps a group apart from its project: its own active deployment, slot ports and route source', async () => {
      const { target, repos, name, project, deployment: main } = await projectWithDeployment('healthy', 'a');
      await repos.projects.setActiveDeployment(project.id, main.id);
      const host = `${unique('host')}.test`;
      await target.addGroup(project.id, 'mr/26', host);
      const preview = await target.addDeployment({
        projectId: project.id,
        status: 'deploying',
        slot: 'a',
        group: 'mr/26',
      });

      expect(await repos.projects.findForDeploy(project.id, 'mr/26')).toMatchObject({
        name,
        group: 'mr/26',
        groupHost: host,
        desiredState: 'running',
        domains: [],
        activeDeploymentId: null,
        slotPortA: null,
      });
      expect(await repos.projects.findForDeploy(project.id, 'pr-1')).toBeNull();
      const [p1, p2] = await target.freePorts();
      expect(await repos.projects.setSlotPorts(project.id, [p1, p2], 'mr/26')).toBe(true);
      expect((await repos.projects.usedSlotPorts()).has(p1)).toBe(true);

      const seen: unknown[] = [];
      expect(
        await repos.deployments.activate(preview.id, project.id, null, async (source) => {
          seen.push({ group: source?.group, host: source?.groupHost, active: source?.activeDeployment?.id });
        }),
      ).toBe(true);
      expect(seen).toEqual([{ group: 'mr/26', host, active: preview.id }]);
      expect(await repos.projects.findForDeploy(project.id)).toMatchObject({
        group: 'default',
        groupHost: null,
        activeDeploymentId: main.id,
      });
      expect(await repos.projects.findForDeploy(project.id, 'mr/26')).toMatchObject({
        activeDeploymentId: preview.id,
        slotPortA: p1,
        slotPortB: p2,
      });
      const units = (await repos.projects.listForReconcile())
        .filter((unit) => unit.id === project.id)
        .map((unit) => [unit.group, unit.activeDeploymentId]);
      expect(units).toEqual([
        ['default', main.id],
        ['mr/26', preview.id],
      ]);
      expect(
        await repos.routeState.withLockedProject(
          project.id,
          async (read) => read?.activeDeployment?.id,
          'mr/26',
        ),
      ).toBe(preview.id);

      await repos.projects.deleteGroup(project.id, 'mr/26');
      expect(await repos.projects.findForDeploy(project.id, 'mr/26')).toBeNull();
      expect(await repos.routeState.withLockedProject(project.id, async (read) => read, 'mr/26')).toBeNull();
      expect((await repos.projects.usedSlotPorts()).has(p1)).toBe(false);
    });

    it('refuses to activate a deployment whose group is gone, writing nothing', async () => {
      const { target, repos, project } = await projectWithDeployment('healthy', 'a');
      const orphan = await target.addDeployment({
        projectId: project.id,
        status: 'deploying',
        group: 'pr-9',
      });
      await expect(repos.deployments.activate(orphan.id, project.id, null)).rejects.toThrow(
        'group pr-9 was stopped meanwhile',
      );
      expect((await repos.deployments.findById(orphan.id))?.status).toBe('deploying');
    });

    it('lists the queued and live deployments whose expiry has come', async () => {
      const target = await createTarget();
      const project = await target.addProject({ name: unique('expiry') });
      const now = new Date();
      const past = new Date(now.getTime() - 1000);
      const future = new Date(now.getTime() + 60_000);
      const due = await Promise.all(
        (['pushed', 'healthy', 'unhealthy'] as const).map((status) =>
          target.addDeployment({ projectId: project.id, status, expiresAt: past }),
        ),
      );
      const notYet = await target.addDeployment({
        projectId: project.id,
        status: 'healthy',
        expiresAt: future,
      });
      const building = await target.addDeployment({
        projectId: project.id,
        status: 'building',
        expiresAt: past,
      });
      const ended = await target.addDeployment({ projectId: project.id, status: 'stopped', expiresAt: past });
      const ids = (await target.repos.deployments.listExpired(now)).map((deployment) => deployment.id);
      expect(ids).toEqual(expect.arrayContaining(due.map((deployment) => deployment.id)));
      for (const skipped of [notYet, building, ended]) expect(ids).not.toContain(skipped.id);
    });

    it("reads a project's route source under its lock, and null for a missing project", async () => {
      const { repos, name, project, deployment } = await projectWithDeployment('healthy', 'a');
      await repos.projects.setActiveDeployment(project.id, deployment.id);
      const source = await repos.routeState.withLockedProject(project.id, async (read) => read);
      expect(source).toMatchObject({
        id: project.id,
        name,
        desiredState: expect.any(String),
        activeDeployment: { id: deployment.id, slot: 'a', status: 'healthy' },
        domains: [],
      });
      expect(await repos.routeState.withLockedProject(unique('none'), async (read) => read)).toBeNull();
    });
  });
}
