import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { apiAs, createUser, rejectionOf, uniqueName, userCaller } from '../../../../test/fixtures';

describe('client-side builds report their progress', () => {
  it('pending → building → pushing → pushed pins the digest and queues the deploy', async () => {
    const api = apiAs(userCaller(await createUser()));
    const project = uniqueName('built');
    await api.project.create({ name: project });
    const created = await api.deployment.create({ project });
    expect(created).toMatchObject({ status: 'pending', image: null });

    await api.deployment.report({ project, deployment: created.id, phase: 'building' });
    await api.deployment.report({ project, deployment: created.id, phase: 'pushing' });
    const digest = `sha256:${'a'.repeat(64)}`;
    const pushed = await api.deployment.report({
      project,
      deployment: created.id,
      phase: 'pushed',
      image: `127.0.0.1:5000/${project}:${created.id}`,
      digest,
    });
    expect(pushed).toMatchObject({
      status: 'pushed',
      imageDigest: digest,
      image: `127.0.0.1:5000/${project}:${created.id}`,
    });
    const jobs = await getDb().$queryRaw<
      { count: bigint }[]
    >`SELECT count(*) FROM pgboss.job WHERE name = 'deploy' AND data->>'deploymentId' = ${created.id}`;
    expect(Number(jobs[0]!.count)).toBe(1);
    expect((await api.project.get({ project })).desiredState).toBe('running');
  });

  it('refuses a report out of order, and records a failed build', async () => {
    const api = apiAs(userCaller(await createUser()));
    const project = uniqueName('built');
    await api.project.create({ name: project });
    const created = await api.deployment.create({ project });
    const error = await rejectionOf(
      api.deployment.report({
        project,
        deployment: created.id,
        phase: 'pushed',
        image: 'x:1',
        digest: `sha256:${'b'.repeat(64)}`,
      }),
      TRPCError,
    );
    expect(error.code).toBe('PRECONDITION_FAILED');
    const failed = await api.deployment.report({
      project,
      deployment: created.id,
      phase: 'failed',
      error: 'npm ci failed',
    });
    expect(failed).toMatchObject({ status: 'failed', error: 'npm ci failed' });
  });
});
