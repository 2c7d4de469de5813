import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { apiAs, createUser, uniqueName, userCaller } from '../../../../test/fixtures';

// The API side of deployment groups on PostgreSQL (the worker's side: test/deployment-groups.int.test.ts).

describe('deployment groups in the API', () => {
  it("a preview's deployment does not touch the project: its desired state, status and latest deployment stay the default group's", async () => {
    const api = apiAs(userCaller(await createUser()));
    const project = uniqueName('groups');
    await api.project.create({ name: project });
    const preview = await api.deployment.create({ project, image: 'rise-test/app:pr', group: 'pr-1' });
    expect(preview).toMatchObject({ group: 'pr-1', status: 'pushed', active: false, expiresAt: null });
    expect(await api.project.get({ project })).toMatchObject({
      desiredState: 'stopped',
      lastDeployment: null,
      previews: 0,
    });
    const jobs = await getDb().$queryRaw<{ count: bigint }[]>`
      SELECT count(*) FROM pgboss.job WHERE name = 'deploy' AND data->>'deploymentId' = ${preview.id}`;
    expect(Number(jobs[0]!.count)).toBe(1);
  });

  it("a group's URL is the host it was given, even after the host template changed", async () => {
    const api = apiAs(userCaller(await createUser()));
    const project = uniqueName('groups');
    await api.project.create({ name: project });
    const created = await api.deployment.create({ project, image: 'rise-test/app:pr', group: 'mr/3' });
    expect(new URL(created.url).hostname).toBe(`${project}-mr--3.localhost`);
    // As if RISE_GROUP_HOST_TEMPLATE had another value when the group was created.
    const { id } = await getDb().project.findUniqueOrThrow({ where: { name: project } });
    await getDb().deploymentGroup.update({
      where: { projectId_name: { projectId: id, name: 'mr/3' } },
      data: { host: `mr--3.${project}.preview.test` },
    });
    const shown = await api.deployment.get({ project, deployment: created.id });
    expect(new URL(shown.url).hostname).toBe(`mr--3.${project}.preview.test`);
    const [group] = await api.deployment.groups({ project });
    expect(new URL(group!.url).hostname).toBe(`mr--3.${project}.preview.test`);
  });

  it('an expiry queues the expire job for that moment', async () => {
    const api = apiAs(userCaller(await createUser()));
    const project = uniqueName('groups');
    await api.project.create({ name: project });
    const created = await api.deployment.create({
      project,
      image: 'rise-test/app:pr',
      group: 'pr-2',
      expire: '2h',
    });
    const jobs = await getDb().$queryRaw<{ start_after: Date }[]>`
      SELECT start_after FROM pgboss.job WHERE name = 'expire' AND data->>'deploymentId' = ${created.id}`;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.start_after.getTime()).toBe(created.expiresAt!.getTime());
  });
});
